#!/usr/bin/python3
# A small stand-in for the two ScreenCast D-Bus APIs, for the error paths no real peer produces
# on demand: the user cancelling the portal dialog (Response 1), a portal with no source types,
# a compositor closing the session mid-stream (Session.Closed). Its streams are real: each Start
# runs `pwzc emulate` (a real PipeWire producer) and hands out that node, and the portal's
# OpenPipeWireRemote hands out a real connection to the PipeWire socket.
#
#   fake-screencast.py --api portal|mutter|remote-desktop [--start-response N] [--source-types N]
#                      [--close-after SECONDS] [--profile NAME]
# --start-response -1: Start's dialog is never answered (a user who walked away); "dialog open"
# is printed when it would be showing.
# --api remote-desktop: Mutter's ScreenCast and RemoteDesktop together, as headless GNOME Remote
# Desktop 51 drives them (src/grd-session.c): RemoteDesktop.CreateSession, the session's
# SessionId and ConnectToEIS (a real EIS server from libeis, which grd's libei must meet:
# grd's session is ready only on EI_EVENT_CONNECT), a ScreenCast session created with that
# remote-desktop-session-id, RemoteDesktop.Session.Start, then per RDP monitor RecordVirtual, the
# stream's Parameters (mapping-id), Stream.Start and PipeWireStreamAdded. The clipboard methods
# are left out: grd only warns that it cannot enable the clipboard (grd-session.c:897).
# Needs Debian's python3-gi (use /usr/bin/python3), and libeis1 for remote-desktop. Prints
# "ready" when its names are owned; each stream it starts is a line "stream PATH node N" on
# stderr.
import argparse
import ctypes
import json
import os
import signal
import socket
import subprocess
import sys

from gi.repository import Gio, GLib

PORTAL_XML = """
<node>
  <interface name="org.freedesktop.portal.ScreenCast">
    <method name="CreateSession"><arg type="a{sv}" direction="in"/><arg type="o" direction="out"/></method>
    <method name="SelectSources"><arg type="o" direction="in"/><arg type="a{sv}" direction="in"/><arg type="o" direction="out"/></method>
    <method name="Start"><arg type="o" direction="in"/><arg type="s" direction="in"/><arg type="a{sv}" direction="in"/><arg type="o" direction="out"/></method>
    <method name="OpenPipeWireRemote"><arg type="o" direction="in"/><arg type="a{sv}" direction="in"/><arg type="h" direction="out"/></method>
    <property name="AvailableSourceTypes" type="u" access="read"/>
    <property name="AvailableCursorModes" type="u" access="read"/>
    <property name="version" type="u" access="read"/>
  </interface>
</node>"""
REQUEST_XML = """
<node><interface name="org.freedesktop.portal.Request">
  <method name="Close"/><signal name="Response"><arg type="u"/><arg type="a{sv}"/></signal>
</interface></node>"""
PSESSION_XML = """
<node><interface name="org.freedesktop.portal.Session">
  <method name="Close"/><signal name="Closed"><arg type="a{sv}"/></signal>
</interface></node>"""
MUTTER_XML = """
<node>
  <interface name="org.gnome.Mutter.ScreenCast">
    <method name="CreateSession"><arg type="a{sv}" direction="in"/><arg type="o" direction="out"/></method>
    <property name="Version" type="i" access="read"/>
  </interface>
</node>"""
MSESSION_XML = """
<node><interface name="org.gnome.Mutter.ScreenCast.Session">
  <method name="Start"/><method name="Stop"/><signal name="Closed"/>
  <method name="RecordMonitor"><arg type="s" direction="in"/><arg type="a{sv}" direction="in"/><arg type="o" direction="out"/></method>
  <method name="RecordVirtual"><arg type="a{sv}" direction="in"/><arg type="o" direction="out"/></method>
</interface></node>"""
MSTREAM_XML = """
<node><interface name="org.gnome.Mutter.ScreenCast.Stream">
  <method name="Start"/><method name="Stop"/>
  <signal name="PipeWireStreamAdded"><arg type="u"/></signal>
  <property name="Parameters" type="a{sv}" access="read"/>
</interface></node>"""
# org.gnome.Mutter.RemoteDesktop as Mutter 51 has it (data/dbus-interfaces/), less the input
# methods (grd 51 sends input through libei only) and the clipboard.
RD_XML = """
<node>
  <interface name="org.gnome.Mutter.RemoteDesktop">
    <method name="CreateSession"><arg type="o" direction="out"/></method>
    <property name="SupportedDeviceTypes" type="u" access="read"/>
    <property name="Version" type="i" access="read"/>
  </interface>
</node>"""
RDSESSION_XML = """
<node><interface name="org.gnome.Mutter.RemoteDesktop.Session">
  <property name="SessionId" type="s" access="read"/>
  <method name="Start"/><method name="Stop"/><signal name="Closed"/>
  <method name="ConnectToEIS"><arg type="a{sv}" direction="in"/><arg type="h" direction="out"/></method>
</interface></node>"""


class Eis:
    """A real EIS server (libeis, which Mutter links too) that accepts every client and offers
    no seat: grd's libei connects (EI_EVENT_CONNECT) and has no devices to send input to."""
    CLIENT_CONNECT = 1  # enum eis_event_type, libeis.h

    def __init__(self):
        lib = ctypes.CDLL("libeis.so.1")
        for name in ("eis_new", "eis_get_event", "eis_event_get_client", "eis_event_unref"):
            getattr(lib, name).restype = ctypes.c_void_p
        for name in ("eis_get_event", "eis_event_get_type", "eis_event_get_client",
                     "eis_event_unref", "eis_client_connect", "eis_setup_backend_fd",
                     "eis_backend_fd_add_client", "eis_get_fd", "eis_dispatch"):
            getattr(lib, name).argtypes = [ctypes.c_void_p]
        self.lib = lib
        self.ctx = lib.eis_new(None)
        if not self.ctx or lib.eis_setup_backend_fd(self.ctx) < 0:
            raise OSError("libeis: no fd backend")
        GLib.unix_fd_add_full(GLib.PRIORITY_DEFAULT, lib.eis_get_fd(self.ctx), GLib.IO_IN,
                              self.dispatch)

    def add_client(self):
        fd = self.lib.eis_backend_fd_add_client(self.ctx)
        if fd < 0:
            raise OSError(-fd, os.strerror(-fd))
        return fd

    def dispatch(self, *args):
        self.lib.eis_dispatch(self.ctx)
        while True:
            event = self.lib.eis_get_event(self.ctx)
            if not event:
                break
            if self.lib.eis_event_get_type(event) == self.CLIENT_CONNECT:
                print("EIS client connected", file=sys.stderr, flush=True)
                self.lib.eis_client_connect(self.lib.eis_event_get_client(event))
            self.lib.eis_event_unref(event)
        return True


class Fake:
    def __init__(self, args):
        self.args = args
        self.bus = Gio.bus_get_sync(Gio.BusType.SESSION)
        self.emulators = []
        self.count = 0
        self.streams = []
        self.started = set()

    def iface(self, xml):
        return Gio.DBusNodeInfo.new_for_xml(xml).interfaces[0]

    def export(self, path, xml, method=None, prop=None):
        return self.bus.register_object(path, self.iface(xml), method, prop, None)

    def emulator_node(self):
        pwzc = os.environ["PWZC"]
        p = subprocess.Popen([pwzc, "emulate", "--json", "--profile", self.args.profile],
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.emulators.append(p)
        return json.loads(p.stdout.readline())["node_id"]

    def close_later(self, emit):
        if self.args.close_after is not None:
            GLib.timeout_add(int(self.args.close_after * 1000), lambda: (emit(), False)[1])

    # ---- the portal ----
    def respond(self, sender, options, code, results):
        token = options.get("handle_token", "t")
        path = "/org/freedesktop/portal/desktop/request/%s/%s" % (
            sender[1:].replace(".", "_"), token)
        self.export(path, REQUEST_XML)

        def emit():
            self.bus.emit_signal(sender, path, "org.freedesktop.portal.Request", "Response",
                                 GLib.Variant("(ua{sv})", (code, results)))
            return False
        if code >= 0:
            GLib.idle_add(emit)
        else:
            print("dialog open", flush=True)
        return path

    def portal_method(self, conn, sender, path, iface, method, params, inv):
        if method == "CreateSession":
            opts = params.unpack()[0]
            self.count += 1
            session = "/org/freedesktop/portal/desktop/session/%s/s%d" % (
                sender[1:].replace(".", "_"), self.count)
            self.export(session, PSESSION_XML)
            self.session = session
            inv.return_value(GLib.Variant("(o)", (self.respond(
                sender, opts, 0, {"session_handle": GLib.Variant("s", session)}),)))
        elif method == "SelectSources":
            inv.return_value(GLib.Variant("(o)", (self.respond(sender, params.unpack()[1], 0, {}),)))
        elif method == "Start":
            opts = params.unpack()[2]
            if self.args.start_response != 0:
                inv.return_value(GLib.Variant("(o)", (self.respond(
                    sender, opts, self.args.start_response, {}),)))
                return
            node = self.emulator_node()
            print("Start: node %d" % node, file=sys.stderr, flush=True)
            streams = GLib.Variant("a(ua{sv})", [(node, {"size": GLib.Variant("(ii)", (1280, 720)),
                                                         "position": GLib.Variant("(ii)", (0, 0)),
                                                         "source_type": GLib.Variant("u", 1)})])
            inv.return_value(GLib.Variant("(o)", (self.respond(sender, opts, 0,
                                                               {"streams": streams}),)))
            session = self.session
            self.close_later(lambda: self.bus.emit_signal(
                sender, session, "org.freedesktop.portal.Session", "Closed",
                GLib.Variant("(a{sv})", ({},))))
        elif method == "OpenPipeWireRemote":
            print("OpenPipeWireRemote", file=sys.stderr, flush=True)
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.connect(os.path.join(os.environ["XDG_RUNTIME_DIR"], "pipewire-0"))
            fds = Gio.UnixFDList.new()
            index = fds.append(s.fileno())
            s.close()
            inv.return_value_with_unix_fd_list(GLib.Variant("(h)", (index,)), fds)

    def portal_prop(self, conn, sender, path, iface, name):
        return {"AvailableSourceTypes": GLib.Variant("u", self.args.source_types),
                "AvailableCursorModes": GLib.Variant("u", 3),
                "version": GLib.Variant("u", 4)}[name]

    # ---- Mutter ----
    def mutter_method(self, conn, sender, path, iface, method, params, inv):
        if method == "CreateSession":
            self.count += 1
            self.msession = "/org/gnome/Mutter/ScreenCast/Session/u%d" % self.count
            props = params.unpack()[0]
            if "remote-desktop-session-id" in props:
                print("ScreenCast.CreateSession for remote desktop session %s" %
                      props["remote-desktop-session-id"], file=sys.stderr, flush=True)
            self.export(self.msession, MSESSION_XML, self.mutter_session_method)
            inv.return_value(GLib.Variant("(o)", (self.msession,)))

    def record(self, sender, session):
        self.count += 1
        stream = "/org/gnome/Mutter/ScreenCast/Stream/u%d" % self.count
        parameters = {"size": GLib.Variant("(ii)", (1280, 720)),
                      "mapping-id": GLib.Variant("s", "fake-mapping-%d" % self.count)}
        self.export(stream, MSTREAM_XML, self.mutter_stream_method,
                    lambda *a: GLib.Variant("a{sv}", parameters))
        self.streams.append((sender, session, stream))
        return stream

    def start_stream(self, sender, stream):
        if stream in self.started:
            return
        self.started.add(stream)
        node = self.emulator_node()
        print("stream %s node %d" % (stream, node), file=sys.stderr, flush=True)
        self.bus.emit_signal(sender, stream, "org.gnome.Mutter.ScreenCast.Stream",
                             "PipeWireStreamAdded", GLib.Variant("(u)", (node,)))

    def mutter_session_method(self, conn, sender, path, iface, method, params, inv):
        if method in ("RecordMonitor", "RecordVirtual"):
            print("ScreenCast.Session.%s" % method, file=sys.stderr, flush=True)
            inv.return_value(GLib.Variant("(o)", (self.record(sender, path),)))
        elif method == "Start":
            inv.return_value(None)
            for owner, session, stream in self.streams:
                if session == path:
                    self.start_stream(owner, stream)
            self.close_later(lambda: self.bus.emit_signal(
                sender, path, "org.gnome.Mutter.ScreenCast.Session", "Closed", None))
        else:
            inv.return_value(None)

    def mutter_stream_method(self, conn, sender, path, iface, method, params, inv):
        inv.return_value(None)
        if method == "Start":
            self.start_stream(sender, path)

    # ---- Mutter's RemoteDesktop ----
    def rd_method(self, conn, sender, path, iface, method, params, inv):
        self.count += 1
        session = "/org/gnome/Mutter/RemoteDesktop/Session/u%d" % self.count
        session_id = "fake-rd-%d" % self.count
        self.export(session, RDSESSION_XML, self.rd_session_method,
                    lambda *a: GLib.Variant("s", session_id))
        print("RemoteDesktop.CreateSession %s" % session_id, file=sys.stderr, flush=True)
        inv.return_value(GLib.Variant("(o)", (session,)))

    def rd_session_method(self, conn, sender, path, iface, method, params, inv):
        print("RemoteDesktop.Session.%s" % method, file=sys.stderr, flush=True)
        if method == "ConnectToEIS":
            fd = self.eis.add_client()
            fds = Gio.UnixFDList.new()
            index = fds.append(fd)
            os.close(fd)
            inv.return_value_with_unix_fd_list(GLib.Variant("(h)", (index,)), fds)
        else:
            inv.return_value(None)

    def run(self):
        names = []
        if self.args.api == "portal":
            self.export("/org/freedesktop/portal/desktop", PORTAL_XML, self.portal_method,
                        self.portal_prop)
            names.append("org.freedesktop.portal.Desktop")
        else:
            self.export("/org/gnome/Mutter/ScreenCast", MUTTER_XML, self.mutter_method,
                        lambda *a: GLib.Variant("i", 4))
            names.append("org.gnome.Mutter.ScreenCast")
        if self.args.api == "remote-desktop":
            self.eis = Eis()
            # SupportedDeviceTypes: keyboard | pointer, as headless Mutter without touch.
            self.export("/org/gnome/Mutter/RemoteDesktop", RD_XML, self.rd_method,
                        lambda c, s, p, i, name: GLib.Variant(
                            *{"Version": ("i", 1), "SupportedDeviceTypes": ("u", 3)}[name]))
            names.append("org.gnome.Mutter.RemoteDesktop")
        owned = []

        def acquired(*a):
            owned.append(a[1])
            if len(owned) == len(names):
                print("ready", flush=True)
        for name in names:
            Gio.bus_own_name_on_connection(self.bus, name, Gio.BusNameOwnerFlags.NONE,
                                           acquired, None)
        loop = GLib.MainLoop()
        # SIGTERM from the test's cleanup: stop the emulators we started, then go.
        GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGTERM, loop.quit)
        try:
            loop.run()
        finally:
            for p in self.emulators:
                p.terminate()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--api", choices=["portal", "mutter", "remote-desktop"], required=True)
    ap.add_argument("--start-response", type=int, default=0)
    ap.add_argument("--source-types", type=int, default=1)
    ap.add_argument("--close-after", type=float)
    ap.add_argument("--profile", default="gnome-headless")
    Fake(ap.parse_args()).run()


if __name__ == "__main__":
    sys.exit(main())
