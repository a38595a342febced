# SPDX-License-Identifier: GPL-3.0-or-later
"""/cli/export-html: tractwise-cli export-html writes the map as one HTML file that opens
offline. Opened in headless Chromium with the network cut (every connection goes to a
listener of this test, which records it): the page asks for nothing, its script runs under
its Content-Security-Policy, its colours at the areas' interiors are the app's PNG export's,
its table has one row per area with the figures `rates` publishes and none of a suppressed
area, it sorts, and the Spanish page speaks Spanish."""
import html.parser
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest

from exporttest import (K, area_geometries, audit_actions, interior_point, make_demo,
                        read_png, temp_dir, world)
from twtest import CliTestCase, run

CHROMIUM = shutil.which("chromium")
DEMO_DIR = None
DEMO = None
MAP = ["--measure", "asthma_ed", "--period", "2021"]
# What Chromium asks its own services for (time, updates, accounts): not the page's.
BROWSER_HOSTS = re.compile(r"(^|\.)(google\.com|googleapis\.com|gstatic\.com|gvt1\.com)(:\d+)?$")


def setUpModule():
    global DEMO_DIR, DEMO
    if CHROMIUM is None:
        raise unittest.SkipTest("chromium is not installed: apt-get install chromium "
                                "(build-aux/install-deps --tests) to open the web map")
    DEMO_DIR = temp_dir()
    DEMO = make_demo(DEMO_DIR)


def tearDownModule():
    if DEMO_DIR:
        shutil.rmtree(DEMO_DIR, ignore_errors=True)


class Listener:
    """The only place the browser can reach: its proxy. Records the first line of every
    connection (a request or a CONNECT) and answers nothing."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.lines = []
        threading.Thread(target=self.loop, daemon=True).start()

    def loop(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            conn.settimeout(2)
            try:
                self.lines.append(conn.recv(4096).split(b"\r\n")[0].decode("latin-1"))
            except OSError as e:
                self.lines.append(f"(connection without a request: {e})")
            conn.close()

    def close(self):
        self.sock.close()

    def page_requests(self):
        out = []
        for line in self.lines:
            # A connection that sends nothing (Chromium opens spare ones to its proxy,
            # and under load one can sit idle past the timeout) fetches nothing.
            if line == "" or line.startswith("(connection without a request"):
                continue
            parts = line.split()
            target = parts[1] if len(parts) > 1 else line
            host = re.sub(r"^[a-z]+://", "", target).split("/")[0]
            if not BROWSER_HOSTS.search(host):
                out.append(line)
        return out


def chromium(url, size, *extra):
    """Opens @url in headless Chromium at @size with the network cut; returns (stdout,
    stderr, the page's requests)."""
    listener = Listener()
    profile = tempfile.mkdtemp(prefix="tw-chromium-")
    try:
        proc = subprocess.run(
            [CHROMIUM, "--headless=new", "--no-sandbox", "--disable-gpu",
             f"--user-data-dir={profile}", "--no-first-run", "--disable-sync",
             "--disable-background-networking", "--disable-component-update",
             f"--proxy-server=http://127.0.0.1:{listener.port}",
             "--proxy-bypass-list=<-loopback>",
             "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
             "--enable-logging=stderr", "--v=0", "--hide-scrollbars",
             f"--window-size={size[0]},{size[1]}", "--virtual-time-budget=3000", *extra, url],
            capture_output=True, text=True, timeout=120)
        return proc.stdout, proc.stderr, listener.page_requests()
    finally:
        listener.close()
        shutil.rmtree(profile, ignore_errors=True)


VIEWPORT_PROBE = ("<!DOCTYPE html><html><body><script>document.body.setAttribute("
                  "'data-viewport', innerWidth + ' ' + innerHeight);</script></body></html>")


def dom_as_shot(url, size, directory):
    """The page's DOM after its script ran, laid out as a screenshot at @size shows it:
    --dump-dom lays out in the window less its (invisible) frame, --screenshot in the whole
    window, so the window is grown by the frame, measured with a page of its own."""
    probe = os.path.join(directory, "viewport.html")
    with open(probe, "w", encoding="utf-8") as f:
        f.write(VIEWPORT_PROBE)
    dom, _, _ = chromium("file://" + probe, size, "--dump-dom")
    inner = [int(v) for v in re.search(r'data-viewport="(\d+) (\d+)"', dom).groups()]
    window = (size[0] + size[0] - inner[0], size[1] + size[1] - inner[1])
    dom, _, _ = chromium("file://" + probe, window, "--dump-dom")
    assert re.search(r'data-viewport="(\d+) (\d+)"', dom).groups() == tuple(map(str, size)), dom
    return chromium(url, window, "--dump-dom")


class Page(html.parser.HTMLParser):
    """What a test reads of the page: the map's attributes, the areas' paths, the legend's
    heading and rows ([label, count] each) and the table's rows as text."""

    def __init__(self, text):
        super().__init__()
        self.svg = {}
        self.paths = {}
        self.heads, self.rows, self.row_ids = [], [], []
        self.legend_title = ""
        self.legend = []
        self._in_legend = False
        self._legend_row = None
        self.lang = None
        self._cell = None
        self._in_legend_title = False
        self._in_head = False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        elif tag == "svg" and a.get("id") == "tw-map":
            self.svg = a
        elif tag == "path" and re.fullmatch(r"a\d+", a.get("id", "")):
            self.paths[int(a["id"][1:])] = a
        elif tag == "h2" and a.get("id") == "tw-legend-title":
            self._in_legend_title = True
        elif tag == "ul" and a.get("class") == "legend":
            self._in_legend = True
        elif tag == "li" and self._in_legend and a.get("class") != "head":
            self._legend_row = []
        elif tag == "span" and self._legend_row is not None:
            self._legend_row.append("")
        elif tag == "thead":
            self._in_head = True
        elif tag == "tr" and a.get("id", "").startswith("r"):
            self.rows.append([])
            self.row_ids.append(int(a["id"][1:]))
        elif tag in ("td", "th") and (self._in_head or self.rows):
            self._cell = [a, ""]

    def handle_endtag(self, tag):
        if tag == "h2":
            self._in_legend_title = False
        elif tag == "ul":
            self._in_legend = False
        elif tag == "li" and self._legend_row is not None:
            self.legend.append([t.strip() for t in self._legend_row])
            self._legend_row = None
        elif tag == "thead":
            self._in_head = False
        elif tag in ("td", "th") and self._cell is not None:
            (self.heads if self._in_head else self.rows[-1]).append(
                (self._cell[1].strip(), self._cell[0].get("data-v")))
            self._cell = None

    def handle_data(self, data):
        if self._in_legend_title:
            self.legend_title += data
        if self._legend_row:
            self._legend_row[-1] += data
        if self._cell is not None:
            self._cell[1] += data


def published(value):
    """@value as the page prints a published figure: 3 significant figures, grouped."""
    value = float(f"{value:.3g}")
    if value == 0:
        return "0"
    digits = max(0, 2 - int(f"{abs(value):e}".split("e")[1]))
    return f"{value:,.{digits}f}".replace("-", "\u2212")


SELECTION = (0x1C, 0x71, 0xD8)   # TW_COLOR_SELECTION_OUTLINE: the focused area's outline


def spanish(english):
    """An English-written figure ("12,345.6") as CLDR's Spanish writes it: "12.345,6", and
    "1820" for 1,820 (no separator in a number of four digits)."""
    def one(m):
        digits, _, fraction = m.group(0).replace(",", "").partition(".")
        whole = digits if len(digits) <= 4 else f"{int(digits):,}".replace(",", ".")
        return whole + ("," + fraction if fraction else "")
    return re.sub(r"\d[\d,]*(?:\.\d+)?", one, english)


def focus_box(png):
    """The box of the focused area's outline (pixels of the selection colour) in the left
    two thirds of a screenshot, where the map is; None when there is none."""
    width, height, pixels = read_png(png)
    xs, ys = [], []
    for y in range(0, height, 1):
        row = pixels[y]
        for x in range(0, width * 2 // 3):
            if max(abs(a - b) for a, b in zip(row[x], SELECTION)) <= 12:
                xs.append(x)
                ys.append(y)
    if len(xs) < 6:
        return None
    return min(xs), min(ys), max(xs), max(ys)


def drive_keyboard(page, directory):
    """Run under Xvfb (xvfb-run): opens @page in Chromium as a window, presses Tab twice
    (the skip link, then the map), then the Right and the Down arrow, and saves a
    screenshot of the screen after each step into @directory as step0.png … step2.png."""
    profile = tempfile.mkdtemp(prefix="tw-chromium-")
    browser = subprocess.Popen(
        [CHROMIUM, "--no-sandbox", "--disable-gpu", f"--user-data-dir={profile}",
         "--no-first-run", "--disable-sync", "--disable-background-networking",
         "--disable-component-update", "--proxy-server=http://127.0.0.1:9",
         "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
         "--window-position=0,0", "--window-size=1200,780", "--app=file://" + page],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        found = []
        for _ in range(120):
            found = subprocess.run(["xdotool", "search", "--onlyvisible", "--class", "chromium"],
                                   capture_output=True, text=True, timeout=30).stdout.split()
            if found or browser.poll() is not None:
                break
            time.sleep(0.5)
        if not found:
            raise SystemExit(f"no Chromium window on {os.environ.get('DISPLAY')} "
                             f"(browser exit status {browser.poll()})")

        def shot(name):
            path = os.path.join(directory, name)
            subprocess.run(["import", "-window", "root", "-depth", "8", f"PNG24:{path}"],
                           check=True, timeout=60)
            return path

        # The page has drawn its map when its outlines are on the screen.
        for _ in range(60):
            time.sleep(0.5)
            _, _, pixels = read_png(shot("load.png"))
            if sum(1 for row in pixels[::8] for p in row[::8] if p[0] < 80) > 20:
                break
        for i, keys in enumerate((["Tab", "Tab"], ["Right"], ["Down"])):
            for key in keys:
                subprocess.run(["xdotool", "key", key], timeout=30)
                time.sleep(0.4)
            box = None
            for _ in range(20):
                time.sleep(0.5)
                box = focus_box(shot(f"step{i}.png"))
                if box is not None:
                    break
    finally:
        browser.kill()
        browser.wait()
        shutil.rmtree(profile, ignore_errors=True)


class ExportHtmlTest(CliTestCase):
    def export(self, *args, name="map.html"):
        out = self.path(name)
        _, result, _ = run("export-html", DEMO, *args, "--out", out)
        with open(out, encoding="utf-8") as f:
            return out, result, f.read()

    def test_file_is_self_contained_and_asks_for_nothing(self):
        out, result, text = self.export(*MAP)
        self.assertEqual(result["areas"], 506)
        self.assertIn("default-src 'none'", text)
        csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)"', text)
        self.assertIsNotNone(csp, "no Content-Security-Policy")
        self.assertNotIn("unsafe-eval", csp.group(1))
        # Nothing that names another document: every reference is to this page.
        for attr, value in re.findall(r'\s(src|href|xlink:href|action)="([^"]*)"', text):
            self.assertTrue(value.startswith("#"), f'{attr}="{value}" leaves the page')
        for value in re.findall(r"url\(([^)]*)\)", text):
            self.assertTrue(value.strip("'\"").startswith("#"), f"url({value}) leaves the page")
        self.assertIsNone(re.search(r"https?:|//[a-z]|<link|<img|<iframe|@import|fetch\(|"
                                    r"XMLHttpRequest|WebSocket", text, re.I),
                          "the page names a way out")
        # Opened with every connection caught: the page asks for nothing, and its script
        # ran (allowed by its hash: it marked where the map is drawn).
        dom, log, requests = chromium("file://" + out, (1024, 700), "--dump-dom")
        self.assertEqual(requests, [], "the page made requests")
        self.assertNotIn("Content Security Policy", log)
        self.assertIn("data-screen-box=", dom, "the page's script did not run:\n" + log[-2000:])
        self.assertIn("export-map", audit_actions(DEMO))

    def test_listener_catches_a_page_that_asks(self):
        # The check above can fail: the same page with an image from a server is caught,
        # and with the policy kept, the policy blocks it.
        out, _, text = self.export(*MAP)
        probe = '<img src="http://tw-probe.example/x.png" alt="">'
        naked = self.path("naked.html")
        with open(naked, "w", encoding="utf-8") as f:
            f.write(re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "",
                           text).replace("<body>", "<body>" + probe))
        _, _, requests = chromium("file://" + naked, (800, 600), "--dump-dom")
        self.assertTrue(any("tw-probe.example" in r for r in requests), requests)
        guarded = self.path("guarded.html")
        with open(guarded, "w", encoding="utf-8") as f:
            f.write(text.replace("<body>", "<body>" + probe))
        _, log, requests = chromium("file://" + guarded, (800, 600), "--dump-dom")
        self.assertEqual(requests, [])
        self.assertIn("Content Security Policy", log)

    def check_colours(self, size):
        """The screenshot at @size against the app's PNG export: the same colour at each
        area's interior."""
        out, _, _ = self.export(*MAP)
        png = self.path("app.png")
        _, app, _ = run("export-map", DEMO, *MAP, "--width", "1100", "--height", "800",
                        "--out", png)
        shot = self.path(f"shot-{size[0]}.png")
        dom, _, requests = dom_as_shot("file://" + out, size, self.tmp)
        self.assertEqual(requests, [])
        chromium("file://" + out, size, f"--screenshot={shot}")
        page = Page(dom)
        sw, sh, shot_pixels = read_png(shot)
        self.assertEqual((sw, sh), size)
        aw, ah, app_pixels = read_png(png)

        bx, by, bw, bh = map(float, page.svg["data-screen-box"].split())
        _, _, vw, vh = map(float, page.svg["viewbox"].split())
        ox, oy, scale = map(float, page.svg["data-world"].split())
        k = min(bw / vw, bh / vh)
        bx += (bw - vw * k) / 2
        by += (bh - vh * k) / 2

        fx, fy, fw, fh = app["map_frame"]
        lon0, lat0, lon1, lat1 = app["map_extent"]
        wx0, wy0 = world(lon0, lat1)
        wx1, wy1 = world(lon1, lat0)
        colours = [tuple(int(c[i:i + 2], 16) for i in (1, 3, 5)) for c in app["colors"]]

        _, rates, _ = run("rates", DEMO, *MAP, "--stratum", "all")
        shapes = area_geometries(DEMO, "Boston tracts")
        checked = suppressed = unreliable = 0
        wrong = []

        def near(pixels, x, y, r):
            return [pixels[j][i] for j in range(int(y) - r, int(y) + r + 1)
                    for i in range(int(x) - r, int(x) + r + 1)]
        for row in rates:
            point, width = interior_point(shapes[row["geoid"]])
            if point is None:
                continue
            x, y = world(*point)
            hx, hy = bx + (x - ox) * scale * k, by + (y - oy) * scale * k
            ax, ay = fx + (x - wx0) / (wx1 - wx0) * fw, fy + (y - wy0) / (wy1 - wy0) * fh
            # Only where both maps have room: a few pixels either side of the point.
            run_html = width / 360.0 * scale * k
            run_app = width / 360.0 * fw / (wx1 - wx0)
            if min(run_html, run_app) < 12 or not (0 <= hy < sh and 0 <= hx < sw):
                continue
            here = shot_pixels[int(hy)][int(hx)]
            there = app_pixels[int(ay)][int(ax)]
            if row["suppressed"]:
                self.assertNotIn(here, colours, f"suppressed {row['geoid']} has a class colour")
                suppressed += 1
                continue
            if row["status"] == "unreliable":
                # The same class colour between the lines of the same hatch: its dark
                # lines near the point on both maps.
                fills = set(near(app_pixels, ax, ay, 4)) & set(colours)
                page = near(shot_pixels, hx, hy, 4)
                if len(fills) != 1:
                    continue    # a border near the point
                fill = fills.pop()
                self.assertIn(fill, page, f"unreliable {row['geoid']}: no {fill} on the page")
                # (the browser spreads a line over two pixels: fainter on the page)
                for side, pixels, depth in (("page", page, 30),
                                            ("app", near(app_pixels, ax, ay, 4), 60)):
                    self.assertTrue(any(sum(fill) - sum(p) > depth for p in pixels),
                                    f"unreliable {row['geoid']} is not hatched on the {side}: "
                                    f"{sorted(set(pixels), key=sum)[:3]} over {fill}")
                unreliable += 1
                continue
            if max(abs(a - b) for a, b in zip(here, there)) > 3 \
                    or min(max(abs(a - b) for a, b in zip(here, c)) for c in colours) > 3:
                wrong.append(f"{row['geoid']}: page {here} at {hx:.0f},{hy:.0f}, "
                             f"app {there} at {ax:.0f},{ay:.0f}")
            checked += 1
        print(f"{size[0]}x{size[1]}: {checked} areas' colours compared with the app's export, "
              f"{len(wrong)} differ; {suppressed} suppressed areas hatched, "
              f"{unreliable} unreliable")
        self.assertGreaterEqual(checked, 60 if size[0] < 1500 else 100)
        self.assertGreaterEqual(suppressed, 1)
        self.assertGreaterEqual(unreliable, 1)
        # A border may cross a point where the 1970 tracts' neighbours do not share
        # vertices: a few, never a class's worth.
        self.assertLessEqual(len(wrong), checked // 25, "\n".join(wrong))

    def test_colours_match_the_app_export_at_1024x700(self):
        self.check_colours((1024, 700))

    def test_colours_match_the_app_export_at_1920x1080(self):
        self.check_colours((1920, 1080))

    def test_table_has_every_area_with_published_figures(self):
        out, result, text = self.export(*MAP)
        dom, _, _ = chromium("file://" + out, (1280, 800), "--dump-dom")
        page = Page(dom)
        _, rates, _ = run("rates", DEMO, *MAP, "--stratum", "all")
        _, revealed, _ = run("rates", DEMO, *MAP, "--stratum", "all", "--reveal")
        by_geoid = {r["geoid"]: r for r in rates}
        true = {r["geoid"]: r for r in revealed}
        self.assertEqual(len(page.rows), len(rates))
        self.assertEqual(len(page.paths), len(rates))
        heads = [h for h, _ in page.heads]
        self.assertEqual(heads, ["Area", "GEOID", "Count", "Denominator", "Rate per 10,000",
                                 "95% interval", "Rank", "Status"])
        seen = set()
        hidden = 0
        for index, cells in zip(page.row_ids, page.rows):
            texts = [c for c, _ in cells]
            geoid = texts[1]
            seen.add(geoid)
            row = by_geoid[geoid]
            label = page.paths[index]["aria-label"]
            if row["suppressed"]:
                hidden += 1
                self.assertEqual(texts[2:7], ["—"] * 5, geoid)
                self.assertTrue(all(v is None for _, v in cells), geoid)
                self.assertEqual(texts[7], "Suppressed")
                self.assertTrue(label.endswith(": Suppressed"), label)
                # Nor its true figures, anywhere in its label.
                self.assertNotIn(published(true[geoid]["rate"]), label)
                continue
            self.assertEqual(texts[2], f"{int(row['numerator']):,}", geoid)
            self.assertEqual(texts[3], f"{int(row['denominator']):,}", geoid)
            self.assertEqual(texts[4], published(row["rate"]), geoid)
            self.assertEqual(texts[5], f"{published(row['lower'])} – {published(row['upper'])}")
            self.assertIn(published(row["rate"]), label)
            self.assertIn(texts[7], ("Shown", "Unreliable — fewer than 20 events"))
        self.assertEqual(seen, set(by_geoid))
        self.assertEqual(hidden, result["suppressed"])
        self.assertGreater(hidden, 0)
        # The rows open as the window's table: the highest rate first, hidden ones last.
        rates_shown = [float(v) for c in page.rows for _, v in [c[4]] if v is not None]
        self.assertEqual(rates_shown, sorted(rates_shown, reverse=True))
        self.assertEqual([c[7][0] for c in page.rows[-hidden:]], ["Suppressed"] * hidden)

    def test_legend_rows_are_the_windows(self):
        """The legend's status rows are the window's, in its words and in Spanish, each
        counting the areas `rates` gives that status."""
        _, rates, _ = run("rates", DEMO, *MAP, "--stratum", "all")
        counts = {s: sum(r["status"] == s for r in rates)
                  for s in ("unreliable", "suppressed", "complementary")}
        self.assertGreater(counts["unreliable"], 0)
        self.assertGreater(counts["suppressed"], 0)
        for lang, names, no_data in (
                ("en", {"unreliable": "Unreliable — fewer than 20 events",
                        "suppressed": f"Suppressed (fewer than {K} events)",
                        "complementary": "Suppressed to protect another area"}, "No data"),
                ("es", {"unreliable": "Poco fiable — menos de 20 eventos",
                        "suppressed": f"Suprimida (menos de {K} eventos)",
                        "complementary": "Suprimida para proteger otra área"}, "Sin datos")):
            with self.subTest(lang=lang):
                out, _, _ = self.export(*MAP, "--lang", lang, name=f"legend-{lang}.html")
                with open(out, encoding="utf-8") as f:
                    page = Page(f.read())
                rows = {label: n for label, n in page.legend}
                print(f"{lang}: {page.legend}")
                for status, label in names.items():
                    if counts[status] == 0:
                        self.assertNotIn(label, rows)
                        continue
                    self.assertIn(label, rows)
                    self.assertEqual(int(rows[label].replace(",", "").replace(".", "")),
                                     counts[status], label)
                self.assertIn(no_data, rows)
                # Nothing left of the old rows' words.
                self.assertFalse(any("nstable" in label or "Inestable" in label
                                     for label in rows), rows)

    def test_table_sorts(self):
        out, _, _ = self.export(*MAP)
        for column, reverse in ((4, False), (4, True), (0, False), (2, True)):
            url = f"file://{out}#sort={'-' if reverse else ''}{column}"
            dom, _, requests = chromium(url, (1280, 800), "--dump-dom")
            self.assertEqual(requests, [])
            page = Page(dom)
            if column == 0:
                initials = [c[0][0][:1].casefold() for c in page.rows]
                self.assertEqual(initials, sorted(initials))
                self.assertGreater(len(set(initials)), 3)
                continue
            values = [float(c[column][1]) for c in page.rows if c[column][1] is not None]
            self.assertEqual(values, sorted(values, reverse=reverse), f"column {column}")
            # Rows without the figure come last either way.
            blank = [c[column][1] is None for c in page.rows]
            self.assertEqual(blank, sorted(blank))
            self.assertTrue(any(blank))

    def test_spanish_page(self):
        out, result, text = self.export(*MAP, "--lang", "es", "--title", "Visitas por asma",
                                        name="es.html")
        self.assertEqual(result["lang"], "es")
        dom, _, requests = chromium("file://" + out, (1024, 700), "--dump-dom")
        self.assertEqual(requests, [])
        page = Page(dom)
        self.assertEqual(page.lang, "es")
        # Numbers as Spanish writes them (CLDR, through ICU): a decimal comma, and a point
        # between thousands from five digits on.
        self.assertEqual(page.legend_title.strip(), "Tasa por 10.000")
        self.assertEqual([h for h, _ in page.heads],
                         ["Área", "GEOID", "Casos", "Denominador", "Tasa por 10.000",
                          "Intervalo de confianza del 95\u00a0%", "Posición", "Estado"])
        self.assertIn(f"Suprimida (menos de {K} eventos)", text)
        self.assertIn("Sin datos", text)
        self.assertIn("<title>Visitas por asma</title>", text)
        self.assertIn(f"Los recuentos de 1 a {K - 1}", text)
        self.assertIn("Todos los grupos", text)
        statuses = {c[7][0] for c in page.rows}
        self.assertTrue(statuses <= {"Publicada", "Suprimida", "Sin datos",
                                     "Poco fiable — menos de 20 eventos"}, statuses)
        for english in ("Suppressed", "No data", "Legend", "Rate per", "Details", "Source:"):
            self.assertNotIn(english, text)
        _, rates, _ = run("rates", DEMO, *MAP, "--stratum", "all")
        by_geoid = {r["geoid"]: r for r in rates}
        decimals = grouped = four_digits = 0
        for cells in page.rows:
            texts = [c for c, _ in cells]
            row = by_geoid[texts[1]]
            if row["suppressed"]:
                continue
            self.assertEqual(texts[3], spanish(f"{int(row['denominator']):,}"), texts[1])
            self.assertEqual(texts[4], spanish(published(row["rate"])), texts[1])
            self.assertEqual(texts[5], spanish(f"{published(row['lower'])} – "
                                               f"{published(row['upper'])}"))
            decimals += "," in texts[4]
            four_digits += len(texts[3]) == 4
            grouped += "." in texts[3]
        self.assertGreater(decimals, 0, "no rate with decimals to check")
        self.assertGreater(four_digits, 0, "no four-digit denominator to check")
        # Hand-checked figures: 1,820 people and a rate of 115.3 per 10,000.
        self.assertIn(">1820<", text)
        self.assertIn("115,3 – ", text)
        self.assertNotIn(">1.820<", text)

    def test_counties_are_outlined(self):
        # North Carolina's GEOIDs are FIPS codes: the county lines as the page export draws.
        out, result, text = self.export("--measure", "sids", "--period", "1974-1978")
        self.assertEqual(result["areas"], 100)
        self.assertIn('<path class="county"', text)
        self.assertIn('<path class="state"', text)
        # Shared borders were simplified once: fewer distinct arcs than twice the borders.
        self.assertLess(result["arcs"], 400)

    def test_keyboard_moves_between_areas(self):
        # A real Chromium window on Xvfb, driven by xdotool as a keyboard user: Tab brings
        # the focus into the map (its outline in the selection colour, the details panel
        # filled), the Right arrow moves it to an area to the east, Down to one south.
        for tool in ("xvfb-run", "xdotool", "import"):
            self.assertIsNotNone(shutil.which(tool), f"{tool} is missing: "
                                 "build-aux/install-deps --tests installs it")
        out, _, _ = self.export(*MAP)
        subprocess.run(["xvfb-run", "-a", "-s", "-screen 0 1280x800x24", sys.executable,
                        __file__, "--drive-keyboard", out, self.tmp], check=True, timeout=300)
        boxes = [focus_box(os.path.join(self.tmp, f"step{i}.png")) for i in range(3)]
        self.assertTrue(all(boxes), f"no focused area on screen: {boxes}")
        centres = [((b[0] + b[2]) / 2, (b[1] + b[3]) / 2) for b in boxes]
        print(f"focused area's centre: after Tab {centres[0]}, Right {centres[1]}, "
              f"Down {centres[2]}")
        (x0, y0), (x1, y1), (x2, y2) = centres
        self.assertGreater(x1 - x0, abs(y1 - y0), "Right did not move east")
        self.assertGreater(y2 - y1, abs(x2 - x1), "Down did not move south")

    def test_bad_input_is_refused(self):
        self.assertRefused(DEMO, "export-html", DEMO, *MAP, "--lang", "fr", "--out",
                           self.path("x.html"), mentions=("--lang", "en or es"))
        self.assertRefused(DEMO, "export-html", DEMO, *MAP, "--out", self.path("x.png"),
                           mentions=("--out", ".html"))
        self.assertRefused(DEMO, "export-html", DEMO, "--period", "2021", "--out",
                           self.path("x.html"), mentions=("--measure",))
        self.assertRefused(DEMO, "export-html", DEMO, "--measure", "asthma_ed", "--period",
                           "1999", "--out", self.path("x.html"), mentions=("--period",))
        self.assertFalse(os.path.exists(self.path("x.html")))


if __name__ == "__main__":
    if sys.argv[1:2] == ["--drive-keyboard"]:
        drive_keyboard(sys.argv[2], sys.argv[3])
    else:
        unittest.main()
