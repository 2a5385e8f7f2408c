"""pandas: data frames and series (the models come next)."""
