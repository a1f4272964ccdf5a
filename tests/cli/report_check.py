# SPDX-License-Identifier: MIT
"""report_check.py -- checks of `match report`'s page for tests/cli/report.sh.

  figures HTML DIR PERIOD LANG   every headline figure, the gardens, the flow,
                                 the venue and the quarter-by-quarter rows,
                                 recomputed from the JSON of `match assign`,
                                 `list engagements` and the other lists in DIR
  static HTML                    no reference to anything outside the file
  png PNG                        the screenshot is not blank
  netlog FILE                    the page made no network request

Prints one line per failure and exits 1 when there was any.
"""
import glob
import json
import math
import os
import re
import struct
import sys
import xml.etree.ElementTree as ET
import zlib

fails = []


def bad(msg):
    fails.append(msg)


def load(d, name):
    with open(os.path.join(d, name), encoding="utf-8") as f:
        return json.load(f)


def c_round(x):
    """C's round() for the figures, which are never negative."""
    return math.floor(x + 0.5)


def fmt(v, dec, lang):
    """The page's number format: 1 234,5 (nb, U+00A0) or 1,234.5 (en)."""
    s = "%.*f" % (dec, v)
    whole, _, frac = s.partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    sep, dot = ("\u00a0", ",") if lang == "nb" else (",", ".")
    return sep.join(groups) + (dot + frac if frac else "")


def figures_of(engs, counts, need_experts, speed, rate, need_team):
    """The headline figures of one quarter's engagements, as the page
    defines them (docs/report.md)."""
    n = len(engs)
    across = sum(1 for e in engs if e["cg"] is not None and e["cg"] != e["eg"])
    km = 0.0
    for e in engs:
        km += 2.0 * e["km"]
    met = sum(1 for nd in dict.fromkeys(e["need"] for e in engs)
              if counts.get(nd, 0) >= need_experts[nd])
    teams = sum(1 for nd in dict.fromkeys(e["need"] for e in engs)
                if need_team[nd] > 1)
    return {
        "engagements": (n, 0), "teams": (teams, 0), "needs-met": (met, 0),
        "share-across": (c_round(1000.0 * across / n) / 10.0 if n else 0.0, 1),
        "km": (c_round(km * 10.0) / 10.0, 1),
        "hours": (c_round(km / speed * 10.0) / 10.0, 1),
        "nok": (float(c_round(km * rate)), 0),
    }


def check_data(el, what, value, dec, lang, unit=""):
    if el is None:
        bad("%s: no element" % what)
        return
    want = "%.*f" % (dec, value)
    if el.get("value") != want:
        bad("%s: value %r, want %r" % (what, el.get("value"), want))
    text = "".join(el.itertext())
    if text != fmt(value, dec, lang) + unit:
        bad("%s: text %r, want %r" % (what, text, fmt(value, dec, lang) + unit))


def figures(html, d, period, lang):
    root = ET.parse(html).getroot()
    by_id = {e.get("id"): e for e in root.iter() if e.get("id")}
    datas = [e for e in root.iter("data")]
    needs = {n["id"]: n for n in load(d, "needs.json")["needs"]}
    cgarden = {c["id"]: c["garden"] for c in load(d, "companies.json")["companies"]}
    egarden = {x["id"]: x["garden"] for x in load(d, "experts.json")["experts"]}
    # Settings the profiles do not give have their defaults (lm_settings).
    st = dict({"speed_kmh": 70, "km_rate_nok": 5.30}, **load(d, "export.json").get("settings", {}))
    speed, rate = st["speed_kmh"], st["km_rate_nok"]
    gardens = [g["id"] for g in load(d, "gardens.json")["gardens"]]
    committed = load(d, "engagements.json")["engagements"]
    plan = load(d, "plan.json")
    kms = {}
    for f in sorted(glob.glob(os.path.join(d, "commit-*.json"))):
        c = json.load(open(f, encoding="utf-8"))
        for a in c["assignments"]:
            kms[(c["period"], a["need"], a["expert"])] = a["distance_km"]
        for t in c.get("teams", []):
            for m in t["members"]:
                kms[(c["period"], t["need"], m["expert"])] = m["distance_km"]

    def plan_engagements():
        # A team is an engagement per member, as it is once committed.
        return ([(a["need"], a["expert"], a["distance_km"]) for a in plan["assignments"]] +
                [(t["need"], m["expert"], m["distance_km"])
                 for t in plan.get("teams", []) for m in t["members"]])

    def eng(p, need, expert, km):
        # A remote engagement travels nothing (the plan's distance_km is
        # the pair's distance all the same).
        if needs[need]["mode"] == "remote":
            km = 0.0
        return {"need": need, "expert": expert, "km": km, "eg": egarden[expert],
                "cg": cgarden[needs[need]["company"]]}

    def quarter(p, with_plan):
        if with_plan:
            engs = [eng(p, need, expert, km) for need, expert, km in plan_engagements()]
        else:
            engs = [eng(p, e["need"], e["expert"], kms[(p, e["need"], e["expert"])])
                    for e in committed if e["period"] == p]
        counts = {}
        for e in committed:
            if e["period"] <= p:
                counts[e["need"]] = counts.get(e["need"], 0) + 1
        if with_plan:
            for need, _, _ in plan_engagements():
                counts[need] = counts.get(need, 0) + 1
        return engs, figures_of(engs, counts, {k: v["experts"] for k, v in needs.items()},
                                speed, rate, {k: v.get("team", 1) for k, v in needs.items()})

    planned = not any(e["period"] == period for e in committed)
    basis = by_id.get("basis")
    if basis is None or basis.get("data-basis") != ("plan" if planned else "committed"):
        bad("basis: want %s" % ("plan" if planned else "committed"))
    engs, fig = quarter(period, planned)
    open_needs = {u["need"] for u in plan["unassigned"]}
    if not planned:
        open_needs |= {need for need, _, _ in plan_engagements()}
    fig["needs-open"] = (len(open_needs), 0)
    for name, (v, dec) in fig.items():
        check_data(by_id.get("fig-" + name), "fig-" + name, v, dec, lang,
                   "\u00a0%" if name == "share-across" else "")
    # The gardens and the flow.
    for g in gardens:
        given = sum(1 for e in engs if e["eg"] == g)
        across = sum(1 for e in engs if e["eg"] == g and e["cg"] is not None and e["cg"] != g)
        received = sum(1 for e in engs if e["cg"] == g)
        opened = sum(1 for nd in open_needs if cgarden[needs[nd]["company"]] == g)
        for name, v in (("given", given), ("given-across", across),
                        ("received", received), ("open", opened)):
            el = [e for e in datas if e.get("data-garden") == g and e.get("data-fig") == name]
            check_data(el[0] if len(el) == 1 else None, "%s %s" % (g, name), v, 0, lang)
        for t in gardens:
            v = sum(1 for e in engs if e["eg"] == g and e["cg"] == t)
            el = [e for e in datas if e.get("data-from") == g and e.get("data-to") == t]
            check_data(el[0] if len(el) == 1 else None, "flow %s->%s" % (g, t), v, 0, lang)
    # The quarter-by-quarter rows: every earlier quarter with engagements,
    # then this one.
    earlier = sorted({e["period"] for e in committed if e["period"] < period})
    rows = [e.get("data-period") for e in root.iter("tr") if e.get("data-period")]
    if rows != earlier + [period]:
        bad("trend rows %r, want %r" % (rows, earlier + [period]))
    bars = [e.get("data-period") for e in root.iter("g") if e.get("data-period")]
    if bars != earlier + [period]:
        bad("trend bars %r, want %r" % (bars, earlier + [period]))
    for p in earlier + [period]:
        f = fig if p == period else quarter(p, False)[1]
        for name, (v, dec) in f.items():
            if name == "needs-open":
                continue
            el = [e for e in datas if e.get("data-period") == p and e.get("data-fig") == name]
            check_data(el[0] if len(el) == 1 else None, "%s %s" % (p, name), v, dec, lang)
    # The venue: match meeting's best total and fair choice.
    m = load(d, "meeting.json")
    for fid, place in (("fig-venue", m["best_total"]), ("fig-venue-fair", m["best_fair"])):
        el = by_id.get(fid)
        if el is None or el.get("value") != place:
            bad("%s: want %s" % (fid, place))
        v = [x for x in m["venues"] if x["place"] == place][0]
        check_data(by_id.get(fid + "-km"), fid + "-km", c_round(v["total_km"] * 10) / 10, 1,
                   lang, " km")
    # Every open need is listed, and nothing else.
    listed = {e.get("data-need") for e in root.iter("tr") if e.get("data-need")}
    if listed != open_needs:
        bad("open needs listed %r, want %r" % (sorted(listed), sorted(open_needs)))
    print("report_check: %s %s: %d engagements, %d earlier quarters, %d open needs"
          % (period, "plan" if planned else "committed", len(engs), len(earlier),
             len(open_needs)))


def static(html):
    text = open(html, encoding="utf-8").read()
    for pat in (r"https?:", r"//", r"\bsrc\s*=", r"@import", r"\bhref\s*=",
                r"<script", r"<link", r"<iframe", r"<object", r"<embed"):
        for m in re.finditer(pat, text, re.I):
            bad("external reference %r at %d: %r" % (pat, m.start(),
                                                    text[max(0, m.start() - 30):m.end() + 30]))
    for m in re.finditer(r"url\(\s*['\"]?([^'\")]*)", text, re.I):
        if not (m.group(1).startswith("#") or m.group(1).startswith("data:")):
            bad("url() to %r" % m.group(1))
    if not re.search(r"@page\s*\{[^}]*size:\s*A4", text):
        bad("no @page size A4")
    if not re.search(r"@media print", text):
        bad("no print stylesheet")


def png_pixels(path):
    """Decode an 8-bit RGB or RGBA PNG (what Chromium writes) into rows."""
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    i, idat = 8, b""
    while i < len(data):
        n, = struct.unpack(">I", data[i:i + 4])
        kind, body = data[i + 4:i + 8], data[i + 8:i + 8 + n]
        i += 12 + n
        if kind == b"IHDR":
            w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
        elif kind == b"IDAT":
            idat += body
    if depth != 8 or ctype not in (2, 6):
        raise ValueError("PNG depth %d colour type %d" % (depth, ctype))
    bpp = 3 if ctype == 2 else 4
    raw, stride, prev, o, rows = zlib.decompress(idat), w * bpp, bytearray(w * bpp), 0, []
    for _ in range(h):
        f, line = raw[o], bytearray(raw[o + 1:o + 1 + stride])
        o += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if f == 1:
                line[x] = (line[x] + a) & 255
            elif f == 2:
                line[x] = (line[x] + b) & 255
            elif f == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return w, h, bpp, rows


def png(path):
    w, h, bpp, rows = png_pixels(path)
    colours, inked = set(), 0
    for r in rows[::4]:
        for x in range(0, w * bpp, bpp * 4):
            px = r[x:x + 3]
            colours.add(px)
            inked += px != b"\xff\xff\xff"
    sampled = len(rows[::4]) * len(range(0, w * bpp, bpp * 4))
    if len(colours) < 16 or inked < sampled // 50:
        bad("%s looks blank: %d colours, %d of %d sampled pixels not white"
            % (path, len(colours), inked, sampled))
    print("report_check: %s: %dx%d, %d colours, %.1f %% inked"
          % (os.path.basename(path), w, h, len(colours), 100.0 * inked / sampled))


def netlog(path):
    """Requests the page made: Chromium's own (updates, time) have the
    initiator "not an origin"; a file:// page's have "null"."""
    d = json.load(open(path, encoding="utf-8"))
    types = {v: k for k, v in d["constants"]["logEventTypes"].items()}
    for e in d["events"]:
        p = e.get("params", {})
        if types.get(e["type"]) == "URL_REQUEST_START_JOB" and "url" in p and \
                p.get("initiator") != "not an origin":
            bad("the page requested %s" % p["url"])


def main(argv):
    cmd = argv[1]
    if cmd == "figures":
        figures(argv[2], argv[3], argv[4], argv[5])
    elif cmd == "static":
        static(argv[2])
    elif cmd == "png":
        png(argv[2])
    elif cmd == "netlog":
        netlog(argv[2])
    else:
        raise SystemExit("report_check.py: unknown check %r" % cmd)
    for f in fails:
        print("FAIL: " + f)
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
