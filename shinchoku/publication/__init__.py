"""What a published dataset shares: the kind of data a database holds, sources and the 出典 line."""
