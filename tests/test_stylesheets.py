"""book.site.stylesheets: the theme's stylesheet cut to the rules the pages can use (issue 25.2)."""

from book.site.stylesheets import cut_stylesheet

CSS = """
.used{color:red}
.unused{color:blue}
.used:hover,.nope{color:green}
@media (min-width:960px){.unused{x:1}.used>p{x:2}}
@font-face{font-family:x}
.dropdown-menu.show{display:block}
"""


def test_keeps_rules_the_pages_can_use_and_drops_the_rest():
    out = cut_stylesheet(CSS, {"p", "div", ".used"})
    assert ".used{color:red}" in out
    assert ".unused" not in out
    assert ".used:hover" in out  # one selector of the list can match
    assert "@media" in out and ".used>p" in out
    assert "@font-face" in out
    assert ".dropdown-menu.show" in out  # added by the theme's scripts


def test_drops_an_at_rule_left_empty():
    assert "@media" not in cut_stylesheet("@media print{.gone{x:1}}", {"div"})
