# rules: sift
