# rules: collell2018
