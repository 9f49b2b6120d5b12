"""desertion-series: monthly desertion counts reconstructed from the words of news articles."""

__version__ = "0.1.0"
