"""The measures for use outside the workflow, exported lazily from the package root
(``from crossmodal import mnno``): the modules here add what a user with files of their own needs
around the workflow's code, which stays in the shared layers."""
