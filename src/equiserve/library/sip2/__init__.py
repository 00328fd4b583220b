"""SIP2 (3M Standard Interchange Protocol 2.00) for the libraries' self-check kiosks."""
