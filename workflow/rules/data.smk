# rules: data
