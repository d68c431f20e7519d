"""Access rules of profiles: everyone signed in edits their own, and only their own."""

from tests.access import Rule, signed_in

RULES = {
    "profiles.edit_profile": Rule("GET", "/profile", signed_in(200)),
    "profiles.suggest_tags": Rule("GET", "/profile/tags?field=skills&q=py", signed_in(200)),
    "profiles.add_tag": Rule("GET", "/profile/tags/add?field=skills&tag=Python", signed_in(200)),
}
