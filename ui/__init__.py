"""Shared Streamlit pieces: the cached engine, formatting, tables."""
