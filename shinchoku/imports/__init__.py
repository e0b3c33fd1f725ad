"""Reading progress-report files (総務省 workbook, long CSV, 団体 matrix) into validated rows."""
