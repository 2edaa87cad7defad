"""The benchmark: pages, the minutes export and the Themenfeld matrix at small, land and germany
scale, each against a plain-SQL baseline in the same run (`python -m bench.run`)."""
