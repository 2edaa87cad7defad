"""Streamlit-free use cases: commands (validate, write, audit) and queries."""
