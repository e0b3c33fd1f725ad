"""Operating costs and the ガバメントクラウド."""
