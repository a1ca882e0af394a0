# The seed's symptom: every Format the producer gets is answered with a new EnumFormat (here the
# width moves by two pixels), so the link renegotiates for ever, param_changed never stops, and
# no buffer is ever settled.
[producer]
description = a producer that answers every Format with a changed EnumFormat: param_changed for ever
modelled-on = the endless param_changed loop users report against GNOME with mismatched offers
node-name = pwzc-renegotiate-loop
size = 1280x720
framerate = 0/1
max-framerate = 60/1
fps = 30
behaviour = renegotiate-loop
metas = header

[format]
formats = BGRx
modifiers = none
data-type = memfd
