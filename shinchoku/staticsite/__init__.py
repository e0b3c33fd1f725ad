"""`shinchoku export site DIR`: the public pages written as static HTML with relative links (see docs/deployment.md)."""
