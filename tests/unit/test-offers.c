/* Proves each built-in offer sends the pods it claims: parsed back with spa_pod_parse_object,
 * the formats, the modifier property (presence, flags, values) and the Buffers dataType. */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <drm_fourcc.h>
#include <spa/buffer/buffer.h>
#include <spa/param/buffers.h>
#include <spa/param/format.h>
#include <spa/param/video/format-utils.h>
#include <spa/pod/parser.h>

#include "gpu.h"
#include "offers.h"

struct built {
    uint8_t buffer[16384];
    struct spa_pod_builder b;
    const struct spa_pod *params[OFFER_MAX_ENUM + 1];
    int n;
    struct offer offer;
};

static void build(struct built *x, const char *name, const struct gpu_info *gpu)
{
    assert_int_equal(offer_builtin(name, gpu, &x->offer), 0);
    x->b = SPA_POD_BUILDER_INIT(x->buffer, sizeof(x->buffer));
    x->n = offer_build_enum_formats(&x->offer, &x->b, x->params, OFFER_MAX_ENUM);
}

static const struct spa_pod_prop *modifier_prop(const struct spa_pod *pod)
{
    return spa_pod_find_prop(pod, NULL, SPA_FORMAT_VIDEO_modifier);
}

static void assert_video_raw(const struct spa_pod *pod)
{
    uint32_t media_type = 0, media_subtype = 0;

    assert_true(spa_pod_is_object_type(pod, SPA_TYPE_OBJECT_Format));
    assert_int_equal(spa_pod_parse_object(pod, SPA_TYPE_OBJECT_Format, NULL, SPA_FORMAT_mediaType,
                                          SPA_POD_Id(&media_type), SPA_FORMAT_mediaSubtype,
                                          SPA_POD_Id(&media_subtype)),
                     2);
    assert_int_equal(media_type, SPA_MEDIA_TYPE_video);
    assert_int_equal(media_subtype, SPA_MEDIA_SUBTYPE_raw);
}

/* The modifier values of a prop, skipping the Enum's leading default. */
static uint32_t modifier_values(const struct spa_pod_prop *prop, uint64_t *out, uint32_t max)
{
    uint32_t n, choice, first, count = 0;
    const struct spa_pod *v = spa_pod_get_values(&prop->value, &n, &choice);
    const int64_t *mods = SPA_POD_BODY_CONST(v);

    assert_int_equal(v->type, SPA_TYPE_Long);
    first = (choice == SPA_CHOICE_Enum && n > 1) ? 1 : 0;
    for (uint32_t i = first; i < n && count < max; i++)
        out[count++] = (uint64_t)mods[i];
    return count;
}

static void shm_has_no_modifier_property(void **state)
{
    struct built x;

    build(&x, "shm", NULL);
    assert_int_equal(x.n, 1);
    assert_video_raw(x.params[0]);
    assert_null(modifier_prop(x.params[0]));
    assert_int_equal(x.offer.data_types, (1 << SPA_DATA_MemFd) | (1 << SPA_DATA_MemPtr));
}

static void dmabuf_linear_offers_linear_mandatory_dont_fixate(void **state)
{
    struct built x;
    const struct spa_pod_prop *prop;
    uint64_t mods[8];

    build(&x, "dmabuf-linear", NULL);
    assert_int_equal(x.n, 1);
    assert_video_raw(x.params[0]);
    assert_non_null(prop = modifier_prop(x.params[0]));
    assert_int_equal(prop->flags, SPA_POD_PROP_FLAG_MANDATORY | SPA_POD_PROP_FLAG_DONT_FIXATE);
    assert_int_equal(modifier_values(prop, mods, 8), 1);
    assert_true(mods[0] == DRM_FORMAT_MOD_LINEAR);
    assert_int_equal(x.offer.data_types, 1 << SPA_DATA_DmaBuf);
}

static void dmabuf_implicit_is_fixed_invalid_without_dont_fixate(void **state)
{
    struct built x;
    const struct spa_pod_prop *prop;
    int64_t mod = 0;

    build(&x, "dmabuf-implicit", NULL);
    assert_non_null(prop = modifier_prop(x.params[0]));
    assert_int_equal(prop->flags, SPA_POD_PROP_FLAG_MANDATORY);
    assert_int_equal(spa_pod_get_long(&prop->value, &mod), 0);
    assert_true((uint64_t)mod == DRM_FORMAT_MOD_INVALID);
}

static void dmabuf_gpu_is_skipped_without_a_gpu(void **state)
{
    struct gpu_info none = {.available = false, .reason = "no EGL device here"};
    struct offer offer;

    assert_int_equal(offer_builtin("dmabuf-gpu", &none, &offer), 0);
    assert_string_not_equal(offer.skip_reason, "");
    assert_non_null(strstr(offer.skip_reason, "no EGL device here"));
}

static struct gpu_info fake_gpu(void)
{
    struct gpu_info gpu = {.available = true, .n_formats = 1};

    gpu.formats[0].drm_fourcc = DRM_FORMAT_XRGB8888;
    gpu.formats[0].modifiers[0] = 0x0300000000606010ull;
    gpu.formats[0].modifiers[1] = DRM_FORMAT_MOD_LINEAR;
    gpu.formats[0].n_modifiers = 2;
    return gpu;
}

static void dmabuf_gpu_offers_the_gpu_modifiers_per_format(void **state)
{
    struct gpu_info gpu = fake_gpu();
    struct built x;
    struct spa_video_info_raw info = {0};
    uint64_t mods[8];

    build(&x, "dmabuf-gpu", &gpu);
    assert_int_equal(x.n, 1); /* only BGRx (XRGB8888) is importable on this fake GPU */
    assert_true(spa_format_video_raw_parse(x.params[0], &info) >= 0);
    assert_int_equal(info.format, SPA_VIDEO_FORMAT_BGRx);
    assert_int_equal(modifier_values(modifier_prop(x.params[0]), mods, 8), 2);
    assert_true(mods[0] == 0x0300000000606010ull && mods[1] == DRM_FORMAT_MOD_LINEAR);
    assert_true(x.offer.gpu_modifiers);
}

static void dmabuf_shm_sends_modifier_format_first_then_plain(void **state)
{
    struct built x;

    build(&x, "dmabuf+shm", NULL);
    assert_int_equal(x.n, 2);
    assert_non_null(modifier_prop(x.params[0]));
    assert_null(modifier_prop(x.params[1]));
    assert_int_equal(x.offer.data_types, (1 << SPA_DATA_MemFd) | (1 << SPA_DATA_DmaBuf));
}

static uint32_t buffers_data_type(const struct offer *offer, bool has_modifier)
{
    uint8_t buffer[4096];
    struct spa_pod_builder b = SPA_POD_BUILDER_INIT(buffer, sizeof(buffer));
    const struct spa_pod *params[8];
    int32_t types = 0;
    int n = offer_build_buffer_params(offer, has_modifier, &b, params, 8);
    const struct spa_pod_prop *prop;
    uint32_t n_vals, choice;

    assert_true(n >= 1);
    assert_true(spa_pod_is_object_type(params[0], SPA_TYPE_OBJECT_ParamBuffers));
    prop = spa_pod_find_prop(params[0], NULL, SPA_PARAM_BUFFERS_dataType);
    assert_non_null(prop);
    /* Sent as a Flags choice, as every client does; its default is the mask. */
    spa_pod_get_int(spa_pod_get_values(&prop->value, &n_vals, &choice), &types);
    assert_int_equal(choice, SPA_CHOICE_Flags);
    return (uint32_t)types;
}

static void dmabuf_shm_asks_dmabuf_for_a_modifier_format_memfd_otherwise(void **state)
{
    struct offer offer;

    offer_builtin("dmabuf+shm", NULL, &offer);
    assert_int_equal(buffers_data_type(&offer, true), 1 << SPA_DATA_DmaBuf);
    assert_int_equal(buffers_data_type(&offer, false), 1 << SPA_DATA_MemFd);
}

static void memptr_asks_memptr_only(void **state)
{
    struct offer offer;

    offer_builtin("memptr", NULL, &offer);
    assert_int_equal(buffers_data_type(&offer, false), 1 << SPA_DATA_MemPtr);
}

static void fixated_offer_puts_the_chosen_modifier_first(void **state)
{
    uint8_t buffer[16384];
    struct spa_pod_builder b = SPA_POD_BUILDER_INIT(buffer, sizeof(buffer));
    const struct spa_pod *params[OFFER_MAX_ENUM + 1];
    const struct spa_pod_prop *prop;
    struct offer offer;
    int64_t mod = -1;
    int n;

    offer_builtin("dmabuf+shm", NULL, &offer);
    n = offer_build_fixated(&offer, SPA_VIDEO_FORMAT_BGRx, DRM_FORMAT_MOD_LINEAR, &b, params,
                            OFFER_MAX_ENUM + 1);
    assert_int_equal(n, 3);
    prop = modifier_prop(params[0]);
    assert_int_equal(prop->flags, SPA_POD_PROP_FLAG_MANDATORY);
    assert_int_equal(spa_pod_get_long(&prop->value, &mod), 0);
    assert_int_equal(mod, 0);
}

static void pick_modifier_follows_the_offer_order(void **state)
{
    struct gpu_info gpu = fake_gpu();
    struct offer offer;
    uint64_t candidates[] = {DRM_FORMAT_MOD_LINEAR, 0x0300000000606010ull}, chosen = 0;

    offer_builtin("dmabuf-gpu", &gpu, &offer);
    assert_true(offer_pick_modifier(&offer, SPA_VIDEO_FORMAT_BGRx, candidates, 2, &chosen));
    assert_true(chosen == 0x0300000000606010ull);
    assert_false(offer_pick_modifier(&offer, SPA_VIDEO_FORMAT_RGBA, candidates, 2, &chosen));
}

static void custom_offer_reports_the_bad_part(void **state)
{
    struct offer offer;
    const char *what = NULL;

    assert_int_equal(offer_custom("BGRx,NOPE", NULL, NULL, &offer, &what), -EINVAL);
    assert_string_equal(what, "--format");
    assert_int_equal(offer_custom("BGRx", "LINEAR,banana", NULL, &offer, &what), -EINVAL);
    assert_string_equal(what, "--modifier");
    assert_int_equal(offer_custom("BGRx", NULL, "memfd,floppy", &offer, &what), -EINVAL);
    assert_string_equal(what, "--data-types");
    assert_int_equal(offer_custom("BGRx,BGRA", "LINEAR", "dmabuf", &offer, &what), 0);
    assert_true(offer.enums[0].has_modifier);
    assert_int_equal(offer.enums[0].n_formats, 2);
}

static void unknown_builtin_is_enoent(void **state)
{
    struct offer offer;

    assert_int_equal(offer_builtin("dmabuf-magic", NULL, &offer), -ENOENT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(shm_has_no_modifier_property),
        cmocka_unit_test(dmabuf_linear_offers_linear_mandatory_dont_fixate),
        cmocka_unit_test(dmabuf_implicit_is_fixed_invalid_without_dont_fixate),
        cmocka_unit_test(dmabuf_gpu_is_skipped_without_a_gpu),
        cmocka_unit_test(dmabuf_gpu_offers_the_gpu_modifiers_per_format),
        cmocka_unit_test(dmabuf_shm_sends_modifier_format_first_then_plain),
        cmocka_unit_test(dmabuf_shm_asks_dmabuf_for_a_modifier_format_memfd_otherwise),
        cmocka_unit_test(memptr_asks_memptr_only),
        cmocka_unit_test(fixated_offer_puts_the_chosen_modifier_first),
        cmocka_unit_test(pick_modifier_follows_the_offer_order),
        cmocka_unit_test(custom_offer_reports_the_bad_part),
        cmocka_unit_test(unknown_builtin_is_enoent),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
