"""After the deadline: early warnings, forecasts 「このままのペースなら」 and the 特定移行支援 long tail.

Pure rules (warning_rules, forecasting) import no Django; refresh.py stores what they compute for every month
when rollups are refreshed, and the pages, the API and open data read only those stored rows.
"""
