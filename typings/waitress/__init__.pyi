# waitress ships no type information; these stubs cover what briefing/publish/serve.py
# builds on (its server, channel and request parser subclasses, and the event loop).
