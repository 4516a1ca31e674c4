"""Reports: terminal tables (rich), JSON (pydantic), SARIF 2.1.0, DOT and HTML.

Each module renders one kind of result in one format and returns text; the CLI decides where
it goes. Nothing here prints.
"""
