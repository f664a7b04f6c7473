# rules: words
