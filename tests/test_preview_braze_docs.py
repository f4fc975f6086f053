"""Braze's documented Liquid examples, rendered by the preview (issue 11).

Each row is an example from Braze's documentation: the Liquid, the user data, and the output
Braze documents, with the page it comes from. Where a page contradicts itself or strftime
(``%b`` printed as ``June``, a ``%s`` from another year), the row holds the output strftime
gives and says so; docs/guides/liquid.md lists these choices.

Sources:
- F: https://www.braze.com/docs/user_guide/personalization_and_dynamic_content/liquid/filters/
- AF: https://www.braze.com/docs/user_guide/personalization_and_dynamic_content/liquid/advanced_filters/
- TAGS: https://www.braze.com/docs/user_guide/personalization_and_dynamic_content/liquid/supported_personalization_tags/
- COND: https://www.braze.com/docs/user_guide/personalization_and_dynamic_content/liquid/conditional_logic/
- ABORT: https://www.braze.com/docs/user_guide/personalization_and_dynamic_content/liquid/aborting_messages/
- DEFAULTS: https://www.braze.com/docs/user_guide/personalization_and_dynamic_content/liquid/setting_default_values/
- CC: https://www.braze.com/docs/user_guide/personalization_and_dynamic_content/connected_content/making_an_api_call/
- CACHE: https://www.braze.com/docs/user_guide/personalization_and_dynamic_content/connected_content/caching_responses/
- CCA: https://www.braze.com/docs/user_guide/personalization_and_dynamic_content/connected_content/aborting_connected_content/
- CAT: https://www.braze.com/docs/user_guide/data/activation/catalogs/use/
- TZ: https://www.braze.com/docs/user_guide/personalization_and_dynamic_content/liquid/liquid_use_cases/
  (Time zones: the time-window, weekday and offset examples)
"""

from __future__ import annotations

import datetime as dt
import hmac
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, NamedTuple

import pytest

from line_braze.errors import ValidationError
from line_braze.preview import render_preview
from line_braze.templates import text_template

LINE_ID = "U" + "0123456789abcdef" * 2
BLOCKS = {"LINE_Channel_AccessToken": "token-1234567890"}
NOW = dt.datetime(2021, 8, 4, 9, 0, tzinfo=dt.timezone.utc)


GAMES = {
    "1234": {"title": "Tales", "price": 7.49},
    "1235": {"title": "Teslagrad"},
    "1236": {"title": "Acaratus"},
}
MESSAGES = {"greet_msg": {"Welcome_Message": "Welcome to our store, {{${first_name}}}!"}}


class Example(NamedTuple):
    source: str
    liquid: str
    expected: str
    user: Mapping[str, Any] = MappingProxyType({})
    data: Mapping[str, Any] = MappingProxyType({})


EXAMPLES: dict[str, Example] = {
    # -- filters (F) ----------------------------------------------------------------------
    "upcase": Example("F", '{{"Big Sale" | upcase}}', "BIG SALE"),
    "two filters": Example("F", '{{ "Big Sale" | upcase | remove: "BIG" }}', " SALE"),
    "divided_by integer": Example("F", "{{15 | divided_by: 2}}", "7"),
    "divided_by float": Example("F", "{{15 | divided_by: 2.0}}", "7.5"),
    "balance, output nested in a filter argument": Example(
        "F",
        "{% assign balance = {{custom_attribute.${current_rewards_balance}}} %}"
        "You have ${{custom_attribute.${giftcard_balance} | plus: {{balance}}}} to spend!",
        "You have $35 to spend!",
        {"current_rewards_balance": 10, "giftcard_balance": 25},
    ),
    "money, Braze's not Shopify's": Example(
        "F",
        "${{event_properties.${rewards_redeemed} | money }}",
        "$145.00",
        data={"event_properties": {"rewards_redeemed": 145}},
    ),
    "money after divided_by": Example(
        "F",
        "${{event_properties.${rewards_redeemed} | divided_by: 100.00 | money }}",
        "$1.45",
        data={"event_properties": {"rewards_redeemed": 145}},
    ),
    "money of 17.8": Example(
        "F",
        "${{custom_attribute.${account_balance} | money}}",
        "$17.80",
        {"account_balance": 17.8},
    ),
    "money after plus: 0 (choice: thousands delimited)": Example(
        "F", '{% assign my_int = "350000.25" | plus: 0 %}{{ my_int | money }}', "350,000.25"
    ),
    "date (docs print 03 June; strftime's %b is Jun)": Example(
        "F",
        "{{custom_attribute.${date_attribute} | date: '%b %d'}}",
        "Jun 03",
        {"date_attribute": "2021-06-03 17:13:41 UTC"},
    ),
    "date %s (docs print a 2015 time; this is 2021-06-03 17:13:41 UTC)": Example(
        "F",
        "{{custom_attribute.${date_attribute} | date: '%s' }}",
        "1622740421",
        {"date_attribute": "2021-06-03 17:13:41 UTC"},
    ),
    "time_zone (docs print August and 2:00:00; strftime gives Aug and 02:00:00)": Example(
        "F",
        "{{custom_attribute.${date_attribute} | time_zone: 'America/Los_Angeles' "
        "| date: '%a %b %e %T' }}",
        "Wed Aug  4 02:00:00",
        {"date_attribute": "2021-08-04 9:00:00 UTC"},
    ),
    "now in a user's time zone": Example(
        "TZ",
        "{% assign time = 'now' | time_zone: ${time_zone} %}"
        "{% assign hour = time | date: '%H' | plus: 0 %}{{hour}}",
        "18",
        {"time_zone": "Asia/Tokyo"},
    ),
    "now in UTC, ISO 8601": Example(
        "F", "{{ 'now' | time_zone: 'UTC' | date: '%Y-%m-%dT%H:%M:%SZ' }}", "2021-08-04T09:00:00Z"
    ),
    "TZ: inside the time window (18:00 in Tokyo) sends": Example(
        "TZ",
        "{% assign time = 'now' | time_zone: ${time_zone} %}"
        "{% assign hour = time | date: '%H' | plus: 0 %}"
        '{% if hour > 20 or hour < 8 %}{% abort_message("Outside allowed time window") %}'
        "{% endif %}Here's a message that will send between 8am and 8pm!",
        "Here's a message that will send between 8am and 8pm!",
        {"time_zone": "Asia/Tokyo"},
    ),
    "TZ: weekday or weekend, with outputs nested in if": Example(
        "TZ",
        "{% assign today = 'now' | time_zone: ${time_zone} | date: \"%A\" %}"
        "{% if {{today}} == 'Saturday' or {{today}} == 'Sunday' %}It's {{today}}, open the app"
        "{% else %}It's {{today}}, visit the store{% endif %}",
        "It's Wednesday, visit the store",
        {"time_zone": "America/Chicago"},
    ),
    "TZ: a zone by name, %B %d %Y %z": Example(
        "TZ",
        "{{custom_attribute.${application_expires_date} | time_zone: 'America/Chicago' "
        "| date: '%B %d %Y %z' }}",
        "August 04 2021 -0500",
        {"application_expires_date": "2021-08-04T09:00:00Z"},
    ),
    "TZ: an offset (docs say -0005 is UTC-6; read as the number -5, hours)": Example(
        "TZ",
        "{{custom_attribute.${application_expires_date} | time_zone: -0005 "
        "| date: '%B, %d %Y %H:%M' }}",
        "August, 04 2021 04:00",
        {"application_expires_date": "2021-08-04T09:00:00Z"},
    ),
    "TZ: an offset as text": Example(
        "TZ",
        "{{custom_attribute.${d} | time_zone: '+09:00' | date: '%H:%M %z' }}",
        "18:00 +0900",
        {"d": "2021-08-04T09:00:00Z"},
    ),
    # -- advanced filters (AF) ------------------------------------------------------------
    "md5": Example("AF", "{{'hey' | md5}}", "6057f13c496ecf7fd777ceb9e79ae285"),
    "sha1": Example("AF", "{{'hey' | sha1}}", "7f550a9f4c44173a37664d938f1355f0f92a47a7"),
    "sha2": Example(
        "AF",
        "{{'hey' | sha2}}",
        "fa690b82061edfd2852629aeba8a8977b57e40fcb77d1a7a28b26cba62591204",
    ),
    "base64_encode": Example("AF", "{{'blah' | base64_encode}}", "YmxhaA=="),
    "base64 (the table's name for it)": Example("AF", "{{'blah' | base64}}", "YmxhaA=="),
    "hmac_sha1_hex": Example(
        "AF", "{{'hey' | hmac_sha1_hex: 'secret_key'}}", "2a3969bed25bfeefb00aca4063eb9590b4df8f0e"
    ),
    "hmac_sha1_base64": Example(
        "AF", "{{'hey' | hmac_sha1_base64: 'secret_key'}}", "KjlpvtJb/u+wCspAY+uVkLTfjw4="
    ),
    "hmac_sha256_hex": Example(
        "AF",
        "{{'hey' | hmac_sha256_hex: 'secret_key'}}",
        "8df897f8da3d7992fe57c8dbc6f27578cfbf2dcc4d0fbb4000b8c924841d508e",
    ),
    "hmac_sha256 (F lists it, hex as Shopify's)": Example(
        "F",
        "{{'hey' | hmac_sha256: 'secret_key'}}",
        "8df897f8da3d7992fe57c8dbc6f27578cfbf2dcc4d0fbb4000b8c924841d508e",
    ),
    "hmac_sha256_base64": Example(
        "AF",
        "{{'hey' | hmac_sha256_base64: 'secret_key'}}",
        "jfiX+No9eZL+V8jbxvJ1eM+/LcxND7tAALjJJIQdUI4=",
    ),
    "url_escape": Example("AF", "{{'hey<>hi' | url_escape}}", "hey%3C%3Ehi"),
    "url_param_escape": Example("AF", "{{'hey<&>hi' | url_param_escape}}", "hey%3C%26%3Ehi"),
    "url_encode": Example("AF", "{{ 'google search' | url_encode }}", "google+search"),
    "property_accessor": Example(
        "AF",
        "{{custom_attribute.${hash} | property_accessor: 'a'}}",
        "42",
        {"hash": {"a": 42, "b": 0}},
    ),
    "property_accessor with an attribute as the key": Example(
        "AF",
        "{{custom_attribute.${hash} | property_accessor: ${language}}}",
        "Bonjour",
        {"hash": {"fr": "Bonjour", "en": "Hello"}, "language": "fr"},
    ),
    "number_with_delimiter": Example("AF", "{{ 123456 | number_with_delimiter }}", "123,456"),
    "json_escape": Example("AF", "{{'123\"456' | json_escape}}", '123"456'),
    # -- personalization tags (TAGS) ------------------------------------------------------
    "standard and custom attributes": Example(
        "TAGS",
        "{{${first_name}}} has {{custom_attribute.${points}}} points",
        "Ann has 12 points",
        {"first_name": "Ann", "points": 12},
    ),
    "campaign and canvas": Example(
        "TAGS",
        "{{campaign.${name}}} / {{canvas.${name}}}",
        "Spring / Welcome",
        data={"campaign": {"name": "Spring"}, "canvas": {"name": "Welcome"}},
    ),
    "api_trigger_properties": Example(
        "TAGS",
        "Your order {{api_trigger_properties.${order_id}}} shipped",
        "Your order A-1 shipped",
        data={"api_trigger_properties": {"order_id": "A-1"}},
    ),
    "canvas_entry_properties": Example(
        "TAGS",
        "{{canvas_entry_properties.${product_name}}} is back",
        "Tetris is back",
        data={"canvas_entry_properties": {"product_name": "Tetris"}},
    ),
    "assign from an output with a filter (enough points)": Example(
        "TAGS",
        "{% assign new_points_balance = "
        "{{custom_attribute.${current_rewards_balance} | plus: 50}} %}"
        "{% if new_points_balance >= 100 %}Make a purchase to bring your rewards points to "
        "{{new_points_balance}} and cash in today!{% else %}"
        "{% abort_message('not enough points') %}{% endif %}",
        "Make a purchase to bring your rewards points to 110 and cash in today!",
        {"current_rewards_balance": 60},
    ),
    "for over an array attribute (a name with a space), output in if": Example(
        "TAGS",
        "{% for items in {{custom_attribute.${Brands Viewed}}} limit:5 %}"
        "{% if {{items}} contains 'Converse' %}{% assign converse_viewer = true %}{% endif %}"
        "{% endfor %}{% if converse_viewer == true %}Sale on Converse!{% else %}"
        "{% abort_message() %}{% endif %}",
        "Sale on Converse!",
        {"Brands Viewed": ["Nike", "Converse", "Vans"]},
    ),
    "a balance above 0": Example(
        "TAGS",
        "{% if {{custom_attribute.${balance}}} > 0 %}Your rewards balance is "
        "{{custom_attribute.${balance}}}{% else %}{% abort_message() %}{% endif %}",
        "Your rewards balance is 12",
        {"balance": 12},
    ),
    "!= blank and != null, with a name": Example(
        "TAGS",
        "{% if ${first_name} != blank and ${first_name} != null %}Hello "
        "{{${first_name} | default: 'there'}}, thanks for downloading!{% else %}"
        "Thanks for downloading!{% endif %}",
        "Hello Ann, thanks for downloading!",
        {"first_name": "Ann"},
    ),
    "!= blank and != null, nil (choice: whitespace is blank too)": Example(
        "TAGS",
        "{% if ${first_name} != blank and ${first_name} != null %}Hello "
        "{{${first_name} | default: 'there'}}, thanks for downloading!{% else %}"
        "Thanks for downloading!{% endif %}",
        "Thanks for downloading!",
        {"first_name": "  "},
    ),
    "most recent locale": Example(
        "TAGS",
        "{% if ${language} == 'en' %}Message in English{% elsif ${language} == 'fr' %}"
        "Message in French{% elsif ${most_recent_locale} == 'pt_BR' %}Message in Brazilian "
        "Portuguese{% elsif ${language} == 'pt' %}Message in default Portuguese{% endif %}",
        "Message in Brazilian Portuguese",
        {"language": "pt", "most_recent_locale": "pt_BR"},
    ),
    "most recently used device (namespace given by the user)": Example(
        "TAGS",
        "{{most_recently_used_device.${platform} | default: 'no device'}}",
        "no device",
    ),
    # -- conditional logic (COND) -----------------------------------------------------------
    "language conditional, else branch": Example(
        "COND",
        "{% if ${language} == 'en' %}This is a message in English from Braze!"
        "{% elsif ${language} == 'es' %}Este es un mensaje en espa\u00f1ol de Braze !"
        "{% else %}This is a message from Braze!{% endif %}",
        "Este es un mensaje en espa\u00f1ol de Braze !",
        {"language": "es"},
    ),
    "null first name": Example(
        "COND",
        "{% if ${first_name} == blank %}We're having a sale!{% else %}Hey "
        "{{${first_name} | default: 'there'}}, we're having a sale!{% endif %}",
        "We're having a sale!",
    ),
    "boolean, number and string attributes": Example(
        "COND",
        "{% if {{custom_attribute.${registration_complete}}} == true %}reg {% endif %}"
        "{% if {{custom_attribute.${shoe_size}}} == 10 %}size {% endif %}"
        "{% if {{custom_attribute.${flyer_miles}}} >= 500 %}miles {% endif %}"
        "{% if {{custom_attribute.${favorite_color}}} == 'blue' %}blue{% endif %}",
        "reg size miles blue",
        {
            "registration_complete": True,
            "shoe_size": 10,
            "flyer_miles": 512,
            "favorite_color": "blue",
        },
    ),
    "array contains": Example(
        "COND",
        "{% if {{custom_attribute.${last_viewed_shows}}} contains 'homeland' %}Homeland!"
        "{% else %}nope{% endif %}",
        "Homeland!",
        {"last_viewed_shows": ["stranger things", "homeland"]},
    ),
    # -- default values (DEFAULTS) ----------------------------------------------------------
    "default for nil": Example("DEFAULTS", "Hi {{${first_name} | default: 'there'}}!", "Hi there!"),
    "default for blank": Example(
        "DEFAULTS", "Hi {{${first_name} | default: 'there'}}!", "Hi there!", {"first_name": ""}
    ),
    "default for whitespace (choice: blank)": Example(
        "DEFAULTS", "Hi {{${first_name} | default: 'there'}}!", "Hi there!", {"first_name": " "}
    ),
    "default for false (choice: as Shopify)": Example(
        "DEFAULTS",
        "{{custom_attribute.${opted} | default: 'unknown'}}",
        "unknown",
        {"opted": False},
    ),
    "default keeps false with allow_false": Example(
        "DEFAULTS",
        "{{custom_attribute.${opted} | default: 'unknown', allow_false: true}}",
        "false",
        {"opted": False},
    ),
    "default for an empty array (choice: blank)": Example(
        "DEFAULTS", "{{custom_attribute.${shows} | default: 'none'}}", "none", {"shows": []}
    ),
    # -- connected content (CC) -------------------------------------------------------------
    "connected_content :save": Example(
        "CC",
        "{% connected_content https://example.com/webservice.json :save result %}"
        "{{result.first_name}}",
        "Annie",
        data={
            "connected_content": {"https://example.com/webservice.json": {"first_name": "Annie"}}
        },
    ),
    "connected_content with options and a status code": Example(
        "CC",
        "{% connected_content https://example.com/api/{{${user_id}}} :method post "
        ':headers {"X-Key": "k"} :body a=1&b=2 :content_type application/json :retry '
        ":cache_max_age 900 :save r %}{{r.__http_status_code__}} {{r.tier}}",
        "200 gold",
        {"user_id": "u-1"},
        {"connected_content": {"https://example.com/api/u-1": '{"tier": "gold"}'}},
    ),
    "connected_content, status checked, 200": Example(
        "CCA",
        "{% connected_content https://example.com/api/endpoint :save connected %}"
        "{% if connected.__http_status_code__ != 200 %}"
        "{% abort_message('Connected Content returned a non-200 status code') %}{% endif %}"
        "Deal: {{connected.deal}}",
        "Deal: 2 for 1",
        data={"connected_content": {"https://example.com/api/endpoint": {"deal": "2 for 1"}}},
    ),
    "connected_content :no_cache": Example(
        "CACHE",
        "{% connected_content https://example.com/webservice.json :no_cache :save r %}{{r.a}}",
        "fresh",
        data={"connected_content": {"https://example.com/webservice.json": {"a": "fresh"}}},
    ),
    "connected_content :cache_max_age": Example(
        "CACHE",
        "{% connected_content https://example.com/webservice.json :cache_max_age 900 :save r %}"
        "{{r.a}}",
        "cached",
        data={"connected_content": {"https://example.com/webservice.json": {"a": "cached"}}},
    ),
    "connected_content, an escaped attribute in the URL": Example(
        "CC",
        "{% connected_content http://www.yourwebsite.com/articles?email="
        "{{${email_address} | url_param_escape}}&user_id={{${user_id}}} :save a %}{{a.n}}",
        "3 articles",
        {"email_address": "ann@example.com", "user_id": "7"},
        {
            "connected_content": {
                "http://www.yourwebsite.com/articles?email=ann%40example.com&user_id=7": {
                    "n": "3 articles"
                }
            }
        },
    ),
    "connected_content, token authentication over several lines": Example(
        "CC",
        '{% assign campaign_name="New Year Sale" %}{% connected_content\n'
        "     https://your_API_link_here/\n"
        "     :method post\n"
        '     :headers {\n       "X-App-Id": "YOUR-APP-ID",\n'
        '       "X-App-Token": "YOUR-APP-TOKEN"\n  }\n'
        "     :body campaign={{campaign_name}}&customer={{${user_id}}}&channel=Braze\n"
        "     :content_type application/json\n"
        "     :save publication\n%}{{publication.title}}",
        "Sale on",
        {"user_id": "u-1"},
        {"connected_content": {"https://your_API_link_here/": {"title": "Sale on"}}},
    ),
    "connected_content, OAuth: a saved token in the next call's headers": Example(
        "CC",
        "{% connected_content https://your_API_access_token_endpoint_here/ :method post "
        ':headers {"Authorization": "Bearer YOUR-APP-TOKEN"} :cache_max_age 900 '
        ":save token_response %}"
        "{% connected_content https://your_API_endpoint_here/ "
        ':headers {"Authorization": "{{token_response}}"} :body key1=value1&key2=value2 '
        ":save response %}{{response.ok}}",
        "authorized",
        data={
            "connected_content": {
                "https://your_API_access_token_endpoint_here/": "a-token",
                "https://your_API_endpoint_here/": {"ok": "authorized"},
            }
        },
    ),
    "connected_content :basic_auth": Example(
        "CC",
        "{% connected_content https://yourwebsite.com/random/trivia :basic_auth credential_name "
        ":save result %}{{result.text}}",
        "a fact",
        data={"connected_content": {"https://yourwebsite.com/random/trivia": {"text": "a fact"}}},
    ),
    # -- catalogs (CAT) -----------------------------------------------------------------------
    "catalog_items": Example(
        "CAT",
        "{% catalog_items Games 1234 %}Get {{ items[0].title }} for just {{ items[0].price }}!",
        "Get Tales for just 7.49!",
        data={"catalogs": {"Games": {"1234": {"title": "Tales", "price": 7.49}}}},
    ),
    "catalog_items, several": Example(
        "CAT",
        "{% catalog_items Games 1234 1235 %}{{ items | map: 'title' | join: ', ' }}",
        "Tales, Teslagrad",
        data={"catalogs": {"Games": {"1234": {"title": "Tales"}, "1235": {"title": "Teslagrad"}}}},
    ),
    "catalog_items with the id from an attribute": Example(
        "CAT",
        "{% catalog_items Games {{custom_attribute.${favorite_game}}} %}{{ items[0].title }}",
        "Teslagrad",
        {"favorite_game": "1235"},
        {"catalogs": {"Games": {"1234": {"title": "Tales"}, "1235": {"title": "Teslagrad"}}}},
    ),
    "catalog_items, the ultimate trio": Example(
        "CAT",
        "Get the ultimate trio {% catalog_items games 1234 1235 1236 %}"
        "{{ items[0].title }}, {{ items[1].title }}, and {{ items[2].title }} today!",
        "Get the ultimate trio Tales, Teslagrad, and Acaratus today!",
        data={"catalogs": {"games": GAMES}},
    ),
    "catalog_items from a wishlist attribute": Example(
        "CAT",
        "{% assign wishlist = {{custom_attribute.${wishlist}}}%}"
        "{% catalog_items Games {{ wishlist[0] }} %}"
        "Get {{ items[0].title }} now for {{ items[0].price }}!",
        "Get Tales now for 7.49!",
        {"wishlist": ["1234", "1235"]},
        {"catalogs": {"Games": GAMES}},
    ),
    "catalog_items :rerender renders the item's Liquid": Example(
        "CAT",
        "Hi {{${first_name}}}, {% catalog_items Messages greet_msg :rerender %}"
        "{{ items[0].Welcome_Message }}",
        "Hi Peter, Welcome to our store, Peter!",
        {"first_name": "Peter"},
        {"catalogs": {"Messages": MESSAGES}},
    ),
    "catalog_items without :rerender prints the item's Liquid raw": Example(
        "CAT",
        "{% catalog_items Messages greet_msg %}{{ items[0].Welcome_Message }}",
        "Welcome to our store, {{${first_name}}}!",
        {"first_name": "Peter"},
        {"catalogs": {"Messages": MESSAGES}},
    ),
    "catalog_selection_items in an if": Example(
        "CAT",
        "{% catalog_selection_items item-list selections %}"
        "{% if items[0].venue_name.size > 10 %}Long venue name"
        "{% elsif items[0].venue_name.size < 10 %}Short venue name"
        "{% else %}{% abort_message('no venue_name') %}{% endif %}",
        "Long venue name",
        data={
            "catalogs": {"item-list": {"v1": {"venue_name": "Madison Square Garden"}}},
            "catalog_selections": {"item-list": {"selections": ["v1"]}},
        },
    ),
    "catalog_selection_items": Example(
        "CAT",
        "{% catalog_selection_items Games top %}{{ items[0].title }}",
        "Teslagrad",
        data={
            "catalogs": {"Games": {"1234": {"title": "Tales"}, "1235": {"title": "Teslagrad"}}},
            "catalog_selections": {"Games": {"top": ["1235"]}},
        },
    ),
}


def _render(example: Example) -> Any:
    return render_preview(
        text_template(example.liquid),
        user={"line_id": LINE_ID, **example.user},
        content_blocks=BLOCKS,
        now=NOW,
        **example.data,
    )


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_brazes_documented_example(name: str) -> None:
    example = EXAMPLES[name]
    preview = _render(example)
    assert not preview.aborted
    assert preview.json["messages"][0]["text"] == example.expected


def test_abort_message_from_the_docs() -> None:
    # ABORT: abort when an attribute is missing.
    example = Example(
        "ABORT",
        "{% if ${language} == blank %}{% abort_message('language was nil') %}{% endif %}x",
        "",
    )
    preview = _render(example)
    assert preview.aborted
    assert preview.abort_reason == "language was nil"


ABORTS: dict[str, tuple[str, Mapping[str, Any], str | None]] = {
    # name: (example row or Liquid, user, the abort reason Braze logs)
    "not enough points": (
        EXAMPLES["assign from an output with a filter (enough points)"].liquid,
        {"current_rewards_balance": 10},
        "not enough points",
    ),
    "no balance (nil > 0 is false)": (EXAMPLES["a balance above 0"].liquid, {}, None),
    "no Converse in the first five": (
        EXAMPLES["for over an array attribute (a name with a space), output in if"].liquid,
        {"Brands Viewed": ["a", "b", "c", "d", "e", "Converse"]},
        None,
    ),
    "English speakers only, no language": (
        (
            "{% if ${language} == 'en' %}Send this message in English!{% else %}"
            "{% abort_message() %}{% endif %}"
        ),
        {},
        None,
    ),
}


@pytest.mark.parametrize("name", list(ABORTS))
def test_documented_aborts(name: str) -> None:
    liquid, user, reason = ABORTS[name]
    preview = _render(Example("TAGS", liquid, "", user))
    assert preview.aborted
    assert preview.abort_reason == reason


# Every filter Braze's filters page marks unsupported ("No"), its color and font families
# (Shopify's color and font filters: "not supported in Braze"), written out here so that a
# name missing from the implementation fails.
BRAZE_UNSUPPORTED = [
    "camelcase",
    "handle",
    "handleize",
    "pluralize",
    "lstrip",
    "rstrip",
    "money_with_currency",
    "money_without_currency",
    "format_address",
    "highlight",
    "brightness_difference",
    "color_brightness",
    "color_contrast",
    "color_darken",
    "color_desaturate",
    "color_difference",
    "color_extract",
    "color_lighten",
    "color_mix",
    "color_modify",
    "color_saturate",
    "color_to_hex",
    "color_to_hsl",
    "color_to_oklch",
    "color_to_rgb",
    "hex_to_rgba",
    "font_face",
    "font_modify",
    "font_url",
]


@pytest.mark.parametrize("name", BRAZE_UNSUPPORTED)
def test_every_filter_braze_lists_as_unsupported_is_refused_by_name(name: str) -> None:
    with pytest.raises(ValidationError) as info:
        _render(Example("F", f"{{{{ ${{first_name}} | {name}: 'a' }}}}", ""))
    assert f"Braze does not support the filter '{name}'" in str(info.value)
    assert info.value.field == "body"


@pytest.mark.parametrize(
    "name",
    [
        "lstrip",
        "rstrip",
        "camelcase",
        "camelize",
        "pluralize",
        "handleize",
        "money_with_currency",
        "money_without_currency",
        "color_to_rgb",
        "font_url",
        "format_address",
        "highlight",
        "find_index",
    ],
)
def test_filters_braze_does_not_support_are_refused_by_name(name: str) -> None:
    for liquid in (
        f"{{{{ 'x' | {name} }}}}",
        f"{{% if false %}}{{{{ 'x' | {name} }}}}{{% endif %}}y",
    ):
        with pytest.raises(ValidationError) as info:
            _render(Example("F", liquid, ""))
        assert f"Braze does not support the filter '{name}'" in str(info.value)


def test_an_unknown_filter_is_named() -> None:
    with pytest.raises(ValidationError, match="unknown filter 'shout'"):
        _render(Example("F", "{{ 'x' | shout }}", ""))
    # TZ writes `"now" | timezone: ${time_zone}` once: a typo for time_zone, refused.
    with pytest.raises(ValidationError, match="unknown filter 'timezone'"):
        _render(Example("TZ", '{{ "now" | timezone: ${time_zone} | date: "%H" }}', ""))


def test_a_connected_content_error_status_aborts() -> None:
    example = EXAMPLES["connected_content, status checked, 200"]
    failing = {"https://example.com/api/endpoint": {"__http_status_code__": 500}}
    preview = _render(example._replace(data={"connected_content": failing}))
    assert preview.aborted
    assert preview.abort_reason == "Connected Content returned a non-200 status code"


def test_the_time_window_aborts_outside_it() -> None:
    liquid = EXAMPLES["TZ: inside the time window (18:00 in Tokyo) sends"].liquid
    preview = render_preview(
        text_template(liquid),
        user={"line_id": LINE_ID, "time_zone": "Asia/Tokyo"},
        content_blocks=BLOCKS,
        now=NOW.replace(hour=13),
    )
    assert preview.aborted
    assert preview.abort_reason == "Outside allowed time window"


def test_a_connected_content_url_without_an_answer_is_named_and_never_fetched() -> None:
    liquid = "{% connected_content https://api.example.com/users/{{${user_id}}} :save u %}{{u.a}}"
    with pytest.raises(ValidationError) as info:
        _render(Example("CC", liquid, "", {"user_id": "42"}))
    assert info.value.field == "connected_content"
    assert "https://api.example.com/users/42" in str(info.value)


@pytest.mark.parametrize(
    ("options", "needle"),
    [
        (":nope 1", "no option ':nope'"),
        (":method fetch", ":method"),
        (":cache_max_age soon", ":cache_max_age"),
        (":headers {not json}", ":headers"),
    ],
)
def test_connected_content_options_are_checked(options: str, needle: str) -> None:
    liquid = f"{{% connected_content https://x.example/a {options} :save r %}}{{{{r.a}}}}"
    with pytest.raises(ValidationError, match=needle):
        _render(Example("CC", liquid, "", data={"connected_content": {"https://x.example/a": {}}}))


def test_a_missing_catalog_is_named() -> None:
    with pytest.raises(ValidationError) as info:
        _render(Example("CAT", "{% catalog_items Games 1 %}{{ items[0].title }}", ""))
    assert info.value.field == "catalogs"
    assert "'Games'" in str(info.value)


def test_an_id_that_is_not_in_the_catalog_gives_no_item() -> None:
    # CAT: "if you type in an ID that doesn't exist, Braze will still return an items array
    # without objects"; the page recommends checking the size.
    liquid = (
        "{% catalog_items Games 9999 %}"
        "{% if items.size == 0 %}{% abort_message('no such game') %}{% endif %}x"
    )
    preview = _render(Example("CAT", liquid, "", data={"catalogs": {"Games": GAMES}}))
    assert preview.aborted
    assert preview.abort_reason == "no such game"


def test_a_catalog_tag_inside_a_rerendered_item_is_refused() -> None:
    # CAT says catalog Liquid tags cannot be used recursively inside catalogs.
    nested = {"m": {"body": "{% catalog_items Messages m %}{{ items[0].body }}"}}
    liquid = "{% catalog_items Messages m :rerender %}{{ items[0].body }}"
    with pytest.raises(ValidationError, match="inside a catalog item"):
        _render(Example("CAT", liquid, "", data={"catalogs": {"Messages": nested}}))


def test_hmac_sha512_gives_hex() -> None:
    # F lists hmac_sha512 as supported without an example; the preview gives hex, like
    # hmac_sha256 (docs/guides/liquid.md).
    preview = _render(Example("F", "{{'hey' | hmac_sha512: 'secret_key'}}", ""))
    expected = hmac.new(b"secret_key", b"hey", "sha512").hexdigest()
    assert preview.json["messages"][0]["text"] == expected


def test_an_unquoted_abort_reason_is_refused() -> None:
    # CAT writes abort_message(no venue_name) once, unquoted; every other page quotes the
    # reason. The preview refuses it rather than guess (docs/guides/liquid.md).
    with pytest.raises(ValidationError, match=r"abort_message takes \(\) or \('reason'\)"):
        _render(Example("CAT", "{% abort_message(no venue_name) %}", ""))


@pytest.mark.parametrize(
    "name",
    [
        "city",
        "country",
        "date_of_birth",
        "email_address",
        "first_name",
        "gender",
        "language",
        "last_name",
        "last_used_app_date",
        "most_recent_app_version",
        "most_recent_locale",
        "most_recent_location",
        "phone_number",
        "time_zone",
        "user_id",
        "braze_id",
        "random_bucket_number",
    ],
)
def test_every_standard_attribute_braze_lists_reads_from_the_user(name: str) -> None:
    # TAGS: the "Standard (Default) Attributes" row, each as {{${name}}}.
    preview = _render(Example("TAGS", f"[{{{{${{{name}}}}}}}]", "", {name: "v-1"}))
    assert preview.json["messages"][0]["text"] == "[v-1]"


def test_a_time_goes_through_date_s_before_math() -> None:
    # COND: a time needs a math filter to be compared; the preview reads a time as a number
    # only through date: '%s' (docs/guides/liquid.md).
    liquid = (
        "{% assign expire = {{custom_attribute.${subscription_end_date}}} | date: '%s' "
        "| plus: 0 %}{% assign now = 'now' | date: '%s' | plus: 0 %}"
        "{% if expire > now %}active{% else %}expired{% endif %}"
    )
    active = _render(Example("COND", liquid, "", {"subscription_end_date": "2021-09-01 0:00:00"}))
    expired = _render(Example("COND", liquid, "", {"subscription_end_date": "2021-08-01T00:00Z"}))
    assert active.json["messages"][0]["text"] == "active"
    assert expired.json["messages"][0]["text"] == "expired"


def test_an_unknown_time_zone_is_named() -> None:
    with pytest.raises(ValidationError, match="Mars/Olympus"):
        _render(Example("F", "{{ 'now' | time_zone: 'Mars/Olympus' | date: '%H' }}", ""))


def test_money_refuses_text() -> None:
    with pytest.raises(ValidationError, match="money needs a number"):
        _render(Example("F", "{{ 'ten' | money }}", ""))
