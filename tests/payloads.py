"""Hostile input shared by the tests that push it through every free-text field shown on a page."""

XSS_PAYLOADS = [
    "<script>window.__xss=1</script>",
    "<img src=x onerror=window.__xss=1>",
    "<svg onload=window.__xss=1>",
    "<svg><script>window.__xss=1</script></svg>",
    "[enlace](javascript:window.__xss=1)",
    "<a href=\"javascript:window.__xss=1\">clic</a>",
    "\"><script>window.__xss=1</script>",
    "<iframe src=\"javascript:window.__xss=1\"></iframe>",
    "<body onload=window.__xss=1>",
    "<details open ontoggle=window.__xss=1>",
    "=HYPERLINK(\"http://x\")",
]
