"""Front-end weight and speed of each public page type, as a phone on prepaid data gets them (issue 19's budgets).

    .venv/bin/python bench/frontend.py [--database implan_bench] [--reuse] [--latency 150] [--runs 3]

Loads the demo into a scratch database (``--reuse`` keeps one that ``bench/public_load.py`` or an earlier run built),
starts gunicorn with production settings (DEBUG=0, WhiteNoise serving the collected, compressed static files) and
opens each public page type in Debian's Chromium (``/usr/bin/chromium``) through Playwright with a fresh profile
(nothing in the browser's cache): viewport 390×844, CPU slowed 4× and the network emulated as Lighthouse's "slow 4G"
(150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up) through the DevTools protocol. Prints per page: bytes transferred
(response bodies and headers as they came over the wire), DOM elements, Largest Contentful Paint, cumulative layout
shift, whether Leaflet was loaded and whether the page shows a map — beside the budgets. Median of ``--runs`` loads.
Nothing is asserted.
"""

from __future__ import annotations

import argparse
import signal
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import public_load  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking"]
BUDGET_BYTES, BUDGET_NODES, BUDGET_LCP, BUDGET_CLS = 530 * 1024, 818, 1.25, 0.1

# Collects LCP and CLS from the first paint on (buffered), the way web-vitals counts them.
OBSERVE = """
window.__vitals = {lcp: 0, cls: 0};
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) window.__vitals.lcp = entry.renderTime || entry.loadTime;
}).observe({type: "largest-contentful-paint", buffered: true});
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.__vitals.cls += entry.value;
}).observe({type: "layout-shift", buffered: true});
"""


def measure(browser, url: str, latency: float) -> dict[str, float]:
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="es-MX", is_mobile=True)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send(
        "Network.emulateNetworkConditions",
        {
            "offline": False,
            "latency": latency,
            "downloadThroughput": 1.6 * 1024 * 1024 / 8,
            "uploadThroughput": 750 * 1024 / 8,
        },
    )
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
    transferred: list[float] = []
    urls: list[str] = []
    cdp.on("Network.loadingFinished", lambda event: transferred.append(event["encodedDataLength"]))
    cdp.on("Network.requestWillBeSent", lambda event: urls.append(event["request"]["url"]))
    page.add_init_script(OBSERVE)
    page.goto(url, wait_until="load", timeout=120_000)
    page.wait_for_timeout(1500)  # late shifts and the last LCP candidate
    vitals = page.evaluate("window.__vitals")
    figures = {
        "bytes": sum(transferred),
        "nodes": page.evaluate("document.getElementsByTagName('*').length"),
        "lcp": vitals["lcp"] / 1000,
        "cls": vitals["cls"],
        "leaflet": float(any("leaflet" in u for u in urls)),
        "map": float(page.locator("[data-project-map]").count() > 0),
        "requests": len(urls),
    }
    context.close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="implan_bench")
    parser.add_argument("--reuse", action="store_true", help="use the database as it is (demo already loaded)")
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--latency", type=float, default=150, help="round trip of the emulated network (ms)")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    public_load.DATABASE = f"postgres://postgres@127.0.0.1:5432/{args.database}"
    public_load.PORT = args.port
    if not args.reuse:
        public_load.prepare_database()
    else:
        public_load.manage("collectstatic", "--noinput")
    pages = public_load.setup_pages()[0]
    del pages["trivial"]
    from playwright.sync_api import sync_playwright

    server = public_load.start_server(2, 600)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            report(browser, pages, args)
            browser.close()
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


def report(browser, pages: dict[str, str], args: argparse.Namespace) -> None:
    print(
        f"390×844, CPU 4× slower, network {args.latency:.0f} ms RTT / 1.6 Mbit/s down / 750 kbit/s up, "
        f"no browser cache; median of {args.runs} loads"
    )
    print(f"{'page':<14}{'KiB':>7}{'nodes':>7}{'LCP s':>7}{'CLS':>7}{'reqs':>6}  leaflet/map  budgets")
    for name, path in pages.items():
        url = f"http://127.0.0.1:{args.port}{path}"
        runs = [measure(browser, url, args.latency) for _ in range(args.runs)]
        m = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
        misses = [
            label
            for label, over in (
                ("bytes", m["bytes"] > BUDGET_BYTES),
                ("nodes", m["nodes"] > BUDGET_NODES),
                ("LCP", m["lcp"] > BUDGET_LCP),
                ("CLS", m["cls"] > BUDGET_CLS),
                ("Leaflet without a map", m["leaflet"] and not m["map"]),
            )
            if over
        ]
        print(
            f"{name:<14}{m['bytes'] / 1024:>7.0f}{m['nodes']:>7.0f}{m['lcp']:>7.2f}{m['cls']:>7.3f}"
            f"{m['requests']:>6.0f}"
            f"  {'yes' if m['leaflet'] else 'no':>3}/{'yes' if m['map'] else 'no':<3}    "
            f"{'all met' if not misses else 'NOT MET: ' + ', '.join(misses)}"
        )
    print(f"budgets: ≤ {BUDGET_BYTES // 1024} KiB, ≤ {BUDGET_NODES} nodes, LCP ≤ {BUDGET_LCP} s, CLS ≤ {BUDGET_CLS}")


if __name__ == "__main__":
    main()
