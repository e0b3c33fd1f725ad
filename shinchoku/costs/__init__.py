"""Operating costs and the ガバメントクラウド (issue 16)."""
