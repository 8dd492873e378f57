"""Reading report files into the store: readers, metric catalogue, mapping, checks, store."""
