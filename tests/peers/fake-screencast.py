#!/usr/bin/python3
# A small stand-in for the two ScreenCast D-Bus APIs, for the error paths no real peer produces
# on demand: the user cancelling the portal dialog (Response 1), a portal with no source types,
# a compositor closing the session mid-stream (Session.Closed). Its streams are real: each Start
# runs `pwzc emulate` (a real PipeWire producer) and hands out that node, and the portal's
# OpenPipeWireRemote hands out a real connection to the PipeWire socket.
#
#   fake-screencast.py --api portal|mutter [--start-response N] [--source-types N]
#                      [--close-after SECONDS] [--profile NAME]
# --start-response -1: Start's dialog is never answered (a user who walked away); "dialog open"
# is printed when it would be showing.
# Needs Debian's python3-gi (use /usr/bin/python3). Prints "ready" when its name is owned.
import argparse
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
  <signal name="PipeWireStreamAdded"><arg type="u"/></signal>
  <property name="Parameters" type="a{sv}" access="read"/>
</interface></node>"""


class Fake:
    def __init__(self, args):
        self.args = args
        self.bus = Gio.bus_get_sync(Gio.BusType.SESSION)
        self.emulators = []
        self.count = 0

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
            self.export(self.msession, MSESSION_XML, self.mutter_session_method)
            inv.return_value(GLib.Variant("(o)", (self.msession,)))

    def mutter_session_method(self, conn, sender, path, iface, method, params, inv):
        if method in ("RecordMonitor", "RecordVirtual"):
            self.mstream = path.replace("/Session/", "/Stream/")
            self.export(self.mstream, MSTREAM_XML, None,
                        lambda *a: GLib.Variant("a{sv}", {"size": GLib.Variant("(ii)", (1280, 720))}))
            inv.return_value(GLib.Variant("(o)", (self.mstream,)))
        elif method == "Start":
            node = self.emulator_node()
            inv.return_value(None)
            self.bus.emit_signal(sender, self.mstream, "org.gnome.Mutter.ScreenCast.Stream",
                                 "PipeWireStreamAdded", GLib.Variant("(u)", (node,)))
            session = path
            self.close_later(lambda: self.bus.emit_signal(
                sender, session, "org.gnome.Mutter.ScreenCast.Session", "Closed", None))
        else:
            inv.return_value(None)

    def run(self):
        if self.args.api == "portal":
            self.export("/org/freedesktop/portal/desktop", PORTAL_XML, self.portal_method,
                        self.portal_prop)
            name = "org.freedesktop.portal.Desktop"
        else:
            self.export("/org/gnome/Mutter/ScreenCast", MUTTER_XML, self.mutter_method,
                        lambda *a: GLib.Variant("i", 4))
            name = "org.gnome.Mutter.ScreenCast"
        Gio.bus_own_name_on_connection(self.bus, name, Gio.BusNameOwnerFlags.NONE,
                                       lambda *a: print("ready", flush=True), None)
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
    ap.add_argument("--api", choices=["portal", "mutter"], required=True)
    ap.add_argument("--start-response", type=int, default=0)
    ap.add_argument("--source-types", type=int, default=1)
    ap.add_argument("--close-after", type=float)
    ap.add_argument("--profile", default="gnome-headless")
    Fake(ap.parse_args()).run()


if __name__ == "__main__":
    sys.exit(main())
