# rules: download
