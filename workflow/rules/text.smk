# rules: text
