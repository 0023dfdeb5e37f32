#!/usr/bin/python3
"""A stand-in BlueZ 5.66 on a private D-Bus, for relaxmon's BLE tests (no hardware needed).

Starts a private dbus-daemon and python3-dbusmock's bluez5 template on it, adds an adapter and a
heart-rate strap with the GATT objects BlueZ would export (0x180D service, 0x2A37 measurement),
a Battery1 interface, then plays an RR series as 0x2A37 notifications once the client has
started notifications: with the odd payloads of real straps (Wahoo contact-not-detected, Garmin's
spurious RR, Polar H10 flags 0x10), a drop in the middle (Connected=false) and the reconnect.

Usage: fake_bluez.py RR_FILE SENT_FILE [ECG_CSV]   (or: fake_bluez.py --no-bluez SENT_FILE)
  RR_FILE --no-adapter / --no-strap / --adapter-off: BlueZ without an adapter, an adapter with no
  strap, or a powered-off adapter.
  live:RR_FILE: as RR_FILE, then a beat every 0.8 s until stopped (a strap still worn; those
  beats are not in SENT_FILE), for views that must see a live strap.
  RR_FILE --manual: set up the strap, connect the client, then send nothing (the caller injects
  notifications itself with org.freedesktop.DBus.Mock.UpdateProperties; used by bench_ble).
  With ECG_CSV (a Polar H10 export, column ecg_mV) the strap also has the Polar PMD service and,
  once the client starts ECG, streams 60 s of that ECG as PMD frames of 73 int24 samples
  instead of the RR notifications; SENT_FILE then lists the samples sent (uV). If the client
  also starts ACC, 200-Hz chest acceleration breathing at 9/min goes along, listed (x,y,z mG)
  in SENT_FILE.acc.
  prints "ADDRESS <bus address>" once ready, "DONE" after the last notification; the RR values
  sent (ms, as the client must decode them) go to SENT_FILE, one per line. Exits when
  SENT_FILE.stop appears (or after two minutes). --no-bluez: only the bus, no org.bluez on it.
"""
import math
import os
import random
import subprocess
import sys
import time

import dbus

HR_SERVICE = "0000180d-0000-1000-8000-00805f9b34fb"
HR_MEASUREMENT = "00002a37-0000-1000-8000-00805f9b34fb"
DEVICE = "org.bluez.Device1"
CHAR = "org.bluez.GattCharacteristic1"
MOCK = "org.freedesktop.DBus.Mock"
PMD_SERVICE = "fb005c80-02e7-f387-1cad-8acd2d8df0c8"
PMD_CONTROL = "fb005c81-02e7-f387-1cad-8acd2d8df0c8"
PMD_DATA = "fb005c82-02e7-f387-1cad-8acd2d8df0c8"


STOP_FILE = None  # the test creates it to end us, whatever we are waiting for


def wait_for(predicate, timeout=20.0):
    end = time.time() + timeout
    while time.time() < end:
        if predicate():
            return True
        if STOP_FILE and os.path.exists(STOP_FILE):
            raise SystemExit(0)
        time.sleep(0.01)
    raise SystemExit("fake_bluez: timed out waiting for the client")


def chest_acc(first, n, breaths_per_min=9.0):
    """n samples (mG, 200 Hz) from sample `first` on, of a strap on a breathing chest: gravity
    tilted by 0.02 rad at the breathing rate, seen in a skewed orientation, with sensor noise."""
    out = []
    for i in range(first, first + n):
        t = i / 200.0
        tilt = 0.02 * math.sin(2 * math.pi * breaths_per_min / 60.0 * t)
        gy, gz = -1000.0 * math.cos(tilt), 1000.0 * math.sin(tilt)
        noise = random.Random(i)
        out.append((round(0.3 * gy + noise.gauss(0, 3)), round(0.95 * gy + 0.2 * gz + noise.gauss(0, 3)),
                    round(gz + noise.gauss(0, 3))))
    return out


def main():
    global STOP_FILE
    rr_file, sent_file = sys.argv[1], sys.argv[2]
    stop_file = STOP_FILE = sent_file + ".stop"

    daemon = subprocess.Popen(["dbus-daemon", "--session", "--nofork", "--print-address=1"],
                              stdout=subprocess.PIPE)
    address = daemon.stdout.readline().decode().strip()
    if rr_file == "--no-bluez":
        print("ADDRESS", address, flush=True)
        wait_for(lambda: os.path.exists(stop_file), timeout=120)
        daemon.terminate()
        return
    manual = rr_file == "--manual"
    live = rr_file.startswith("live:")
    if live:
        rr_file = rr_file[len("live:"):]
    rr_ms = [] if manual or rr_file.startswith("--") else [float(line) for line in open(rr_file)
                               if line.strip() and not line.startswith("#")][:100]
    env = dict(os.environ, DBUS_SYSTEM_BUS_ADDRESS=address)
    mock = subprocess.Popen(["/usr/bin/python3", "-m", "dbusmock", "--system", "--template", "bluez5"],
                            env=env, stdout=subprocess.DEVNULL)
    try:
        bus = dbus.bus.BusConnection(address)
        wait_for(lambda: bus.name_has_owner("org.bluez"))
        bluez = dbus.Interface(bus.get_object("org.bluez", "/org/bluez"), "org.bluez.Mock")
        if rr_file == "--no-adapter":
            print("ADDRESS", address, flush=True)
            wait_for(lambda: os.path.exists(stop_file), timeout=120)
            return
        adapter = bluez.AddAdapter("hci0", "relaxmon-test")
        if rr_file == "--adapter-off":
            dbus.Interface(bus.get_object("org.bluez", adapter), MOCK).UpdateProperties(
                "org.bluez.Adapter1", {"Powered": False})
        if rr_file in ("--no-strap", "--adapter-off"):
            print("ADDRESS", address, flush=True)
            wait_for(lambda: os.path.exists(stop_file), timeout=120)
            return
        dev = bluez.AddDevice("hci0", "A0:9E:1A:12:34:56", "Polar H10 12345678")
        dev_mock = dbus.Interface(bus.get_object("org.bluez", dev), MOCK)
        dev_props = dbus.Interface(bus.get_object("org.bluez", dev), "org.freedesktop.DBus.Properties")
        dev_mock.UpdateProperties(DEVICE, {"UUIDs": dbus.Array([HR_SERVICE], signature="s"),
                                           "RSSI": dbus.Int16(-58),
                                           "Name": "Polar H10 12345678"})
        dev_mock.AddProperties("org.bluez.Battery1", {"Percentage": dbus.Byte(87)})
        # The template's Connect() only emits a signal; make it change the property as BlueZ does.
        dev_mock.AddMethod(DEVICE, "Connect", "", "", f'self.UpdateProperties("{DEVICE}", {{"Connected": dbus.Boolean(True, variant_level=1)}})')
        root = dbus.Interface(bus.get_object("org.bluez", "/"), MOCK)
        service, char = dev + "/service000e", dev + "/service000e/char000f"
        root.AddObject(service, "org.bluez.GattService1",
                       {"UUID": HR_SERVICE, "Primary": True, "Device": dbus.ObjectPath(dev)}, [])
        root.AddObject(char, CHAR,
                       {"UUID": HR_MEASUREMENT, "Service": dbus.ObjectPath(service),
                        "Value": dbus.Array([], signature="y"), "Notifying": False,
                        "Flags": dbus.Array(["notify"], signature="s")},
                       [("StartNotify", "", "", f'self.UpdateProperties("{CHAR}", {{"Notifying": dbus.Boolean(True, variant_level=1)}})'),
                        ("StopNotify", "", "", f'self.UpdateProperties("{CHAR}", {{"Notifying": dbus.Boolean(False, variant_level=1)}})')])
        char_mock = dbus.Interface(bus.get_object("org.bluez", char), MOCK)
        ecg_csv = sys.argv[3] if len(sys.argv) > 3 else None
        if ecg_csv:
            pmd = dev + "/service0045"
            cp, data = pmd + "/char0046", pmd + "/char0049"
            root.AddObject(pmd, "org.bluez.GattService1",
                           {"UUID": PMD_SERVICE, "Primary": True, "Device": dbus.ObjectPath(dev)}, [])
            notify_methods = [
                ("StartNotify", "", "", f'self.UpdateProperties("{CHAR}", {{"Notifying": dbus.Boolean(True, variant_level=1)}})'),
                ("StopNotify", "", "", f'self.UpdateProperties("{CHAR}", {{"Notifying": dbus.Boolean(False, variant_level=1)}})')]
            # The control point answers "start ECG" (02 00 ...) and "start ACC" (02 02 ...) with
            # success, as an indication naming the measurement.
            answer = ('if list(args[0])[:1] == [2] and list(args[0])[1:2] in ([0], [2]): '
                      'self.UpdateProperties("' + CHAR + '", {"Value": dbus.Array([0xf0, 0x02, '
                      'args[0][1], 0x00, 0x00, 0x00], signature="y", variant_level=1)})')
            root.AddObject(cp, CHAR, {"UUID": PMD_CONTROL, "Service": dbus.ObjectPath(pmd),
                                      "Value": dbus.Array([], signature="y"), "Notifying": False,
                                      "Flags": dbus.Array(["read", "write", "indicate"], signature="s")},
                           notify_methods + [("WriteValue", "aya{sv}", "", answer)])
            root.AddObject(data, CHAR, {"UUID": PMD_DATA, "Service": dbus.ObjectPath(pmd),
                                        "Value": dbus.Array([], signature="y"), "Notifying": False,
                                        "Flags": dbus.Array(["notify"], signature="s")}, notify_methods)
            data_mock = dbus.Interface(bus.get_object("org.bluez", data), MOCK)
            cp_props = dbus.Interface(bus.get_object("org.bluez", cp), "org.freedesktop.DBus.Properties")
        char_props = dbus.Interface(bus.get_object("org.bluez", char), "org.freedesktop.DBus.Properties")
        print("ADDRESS", address, flush=True)

        def resolve_when_connected():
            # BlueZ 5.66 answers Connect() at Connected=true; services resolve a moment later.
            wait_for(lambda: bool(dev_props.Get(DEVICE, "Connected")))
            dev_mock.UpdateProperties(DEVICE, {"ServicesResolved": True})
            wait_for(lambda: bool(char_props.Get(CHAR, "Notifying")))
            time.sleep(0.05)

        def notify(payload):
            char_mock.UpdateProperties(CHAR, {"Value": dbus.Array(payload, signature="y")})
            time.sleep(0.005)

        resolve_when_connected()
        if manual:
            print("CONNECTED", char, flush=True)
            wait_for(lambda: os.path.exists(stop_file), timeout=300)
            return
        if ecg_csv:
            # Wait for the start command's answer, then 60 s of real H10 ECG as PMD frames; once
            # the client has also started ACC, chest acceleration frames go along (see chest_acc).
            wait_for(lambda: len(cp_props.Get(CHAR, "Value")) > 0)
            rows = [line.split(",") for line in open(ecg_csv).read().splitlines()[1:]]
            samples = [round(float(r[1]) * 1000.0) for r in rows[: 73 * 107]]
            ts = 599622173760485265  # the first captured frame's sensor time, ns
            acc_sent, acc_ts, acc_started = [], ts, False
            for k in range(0, len(samples), 73):
                frame = samples[k:k + 73]
                ts += round(73 / 130.17 * 1e9)
                payload = [0x00] + list(ts.to_bytes(8, "little")) + [0x00]
                for v in frame:
                    payload += list((v & 0xFFFFFF).to_bytes(3, "little"))
                data_mock.UpdateProperties(CHAR, {"Value": dbus.Array(payload, signature="y")})
                acc_started = acc_started or list(cp_props.Get(CHAR, "Value"))[2:3] == [2]
                if acc_started:
                    # 200 Hz: two frames of 56 samples per ECG frame (73 samples at 130 Hz).
                    for _ in range(2):
                        block = chest_acc(len(acc_sent), 56)
                        acc_sent += block
                        acc_ts += round(56 / 200.0 * 1e9)
                        payload = [0x02] + list(acc_ts.to_bytes(8, "little")) + [0x01]
                        for xyz in block:
                            for v in xyz:
                                payload += list((v & 0xFFFF).to_bytes(2, "little"))
                        data_mock.UpdateProperties(CHAR, {"Value": dbus.Array(payload, signature="y")})
                time.sleep(0.003)
            with open(sent_file, "w") as f:
                f.write("\n".join(str(v) for v in samples) + "\n")
            with open(sent_file + ".acc", "w") as f:
                f.write("".join(f"{x},{y},{z}\n" for x, y, z in acc_sent))
            print("DONE", flush=True)
            wait_for(lambda: os.path.exists(stop_file), timeout=120)
            return
        sent = []
        for i, ms in enumerate(rr_ms):
            raw = round(ms * 1.024)
            if i == 50:
                # The strap drops out: the client must mark the gap and reconnect.
                dev_mock.UpdateProperties(DEVICE, {"Connected": False, "ServicesResolved": False})
                char_mock.UpdateProperties(CHAR, {"Notifying": False})
                resolve_when_connected()
            if i == 20:  # Wahoo: contact supported, not detected (W1's flags)
                notify([0x14, 70, raw & 0xFF, raw >> 8])
            elif i == 30:  # Garmin HRM-Dual: a spurious 53/1024 s appended (G2)
                notify([0x10, 56, raw & 0xFF, raw >> 8, 0x35, 0x00])
            elif i % 3 == 0:  # Polar H10: flags 0x10, no contact bits (P2)
                notify([0x10, 60, raw & 0xFF, raw >> 8])
            else:  # flags 0x16: contact supported and detected
                notify([0x16, 60, raw & 0xFF, raw >> 8])
            sent.append(raw * 1000.0 / 1024.0)
        with open(sent_file, "w") as f:
            f.write("\n".join(f"{x:.3f}" for x in sent) + "\n")
        print("DONE", flush=True)
        while live and not os.path.exists(stop_file):
            notify([0x16, 75, 0x33, 0x03])  # 819/1024 s
            time.sleep(0.8)
        wait_for(lambda: os.path.exists(stop_file), timeout=120)
    finally:
        mock.terminate()
        daemon.terminate()


if __name__ == "__main__":
    main()
