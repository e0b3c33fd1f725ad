"""What every public page uses, whichever app draws it: the month a request asks for, chart data, the tile map
and number formats. The web app and the feature apps (costs, outlook, procedures, opendata) import it; it imports
none of them."""
