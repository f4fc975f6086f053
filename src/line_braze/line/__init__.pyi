# Generated from _EXPORTS in __init__.py by tests/test_exports.py: do not edit.

from line_braze.line.client import DEFAULT_BASE_URL as DEFAULT_BASE_URL
from line_braze.line.client import DEFAULT_DATA_BASE_URL as DEFAULT_DATA_BASE_URL
from line_braze.line.client import LineClient as LineClient
from line_braze.line.followers import FollowerPage as FollowerPage
from line_braze.line.linking import AccountLink as AccountLink
from line_braze.line.models._base import ALT_TEXT_MAX as ALT_TEXT_MAX
from line_braze.line.models._base import ALT_URI_MAX as ALT_URI_MAX
from line_braze.line.models._base import IMAGE_URL_MAX as IMAGE_URL_MAX
from line_braze.line.models._base import LABEL_MAX as LABEL_MAX
from line_braze.line.models._base import MESSAGES_MAX as MESSAGES_MAX
from line_braze.line.models._base import TEXT_MAX as TEXT_MAX
from line_braze.line.models._base import URI_MAX as URI_MAX
from line_braze.line.models.actions import CLIPBOARD_TEXT_MAX as CLIPBOARD_TEXT_MAX
from line_braze.line.models.actions import RICH_MENU_ALIAS_MAX as RICH_MENU_ALIAS_MAX
from line_braze.line.models.actions import Action as Action
from line_braze.line.models.actions import AltUri as AltUri
from line_braze.line.models.actions import CameraAction as CameraAction
from line_braze.line.models.actions import CameraRollAction as CameraRollAction
from line_braze.line.models.actions import ClipboardAction as ClipboardAction
from line_braze.line.models.actions import DatetimePickerAction as DatetimePickerAction
from line_braze.line.models.actions import LocationAction as LocationAction
from line_braze.line.models.actions import MessageAction as MessageAction
from line_braze.line.models.actions import PostbackAction as PostbackAction
from line_braze.line.models.actions import QuickReply as QuickReply
from line_braze.line.models.actions import QuickReplyItem as QuickReplyItem
from line_braze.line.models.actions import RichMenuSwitchAction as RichMenuSwitchAction
from line_braze.line.models.actions import Sender as Sender
from line_braze.line.models.actions import UriAction as UriAction
from line_braze.line.models.flex import ANIMATED_IMAGES_MAX as ANIMATED_IMAGES_MAX
from line_braze.line.models.flex import BUBBLE_JSON_MAX as BUBBLE_JSON_MAX
from line_braze.line.models.flex import CAROUSEL_BUBBLES_MAX as CAROUSEL_BUBBLES_MAX
from line_braze.line.models.flex import CAROUSEL_JSON_MAX as CAROUSEL_JSON_MAX
from line_braze.line.models.flex import FLEX_ALT_TEXT_MAX as FLEX_ALT_TEXT_MAX
from line_braze.line.models.flex import FlexBlockStyle as FlexBlockStyle
from line_braze.line.models.flex import FlexBubble as FlexBubble
from line_braze.line.models.flex import FlexBubbleStyles as FlexBubbleStyles
from line_braze.line.models.flex import FlexCarousel as FlexCarousel
from line_braze.line.models.flex import FlexContainer as FlexContainer
from line_braze.line.models.flex import FlexMessage as FlexMessage
from line_braze.line.models.flex_components import ASPECT_MAX as ASPECT_MAX
from line_braze.line.models.flex_components import FlexAltContent as FlexAltContent
from line_braze.line.models.flex_components import FlexBox as FlexBox
from line_braze.line.models.flex_components import FlexBoxLinearGradient as FlexBoxLinearGradient
from line_braze.line.models.flex_components import FlexButton as FlexButton
from line_braze.line.models.flex_components import FlexComponent as FlexComponent
from line_braze.line.models.flex_components import FlexFiller as FlexFiller
from line_braze.line.models.flex_components import FlexIcon as FlexIcon
from line_braze.line.models.flex_components import FlexImage as FlexImage
from line_braze.line.models.flex_components import FlexSeparator as FlexSeparator
from line_braze.line.models.flex_components import FlexSpan as FlexSpan
from line_braze.line.models.flex_components import FlexText as FlexText
from line_braze.line.models.flex_components import FlexVideo as FlexVideo
from line_braze.line.models.imagemap import EXTERNAL_LINK_LABEL_MAX as EXTERNAL_LINK_LABEL_MAX
from line_braze.line.models.imagemap import IMAGEMAP_ACTIONS_MAX as IMAGEMAP_ACTIONS_MAX
from line_braze.line.models.imagemap import IMAGEMAP_ALT_TEXT_MAX as IMAGEMAP_ALT_TEXT_MAX
from line_braze.line.models.imagemap import IMAGEMAP_LABEL_MAX as IMAGEMAP_LABEL_MAX
from line_braze.line.models.imagemap import IMAGEMAP_TEXT_MAX as IMAGEMAP_TEXT_MAX
from line_braze.line.models.imagemap import IMAGEMAP_URI_MAX as IMAGEMAP_URI_MAX
from line_braze.line.models.imagemap import IMAGEMAP_WIDTH as IMAGEMAP_WIDTH
from line_braze.line.models.imagemap import ClipboardImagemapAction as ClipboardImagemapAction
from line_braze.line.models.imagemap import ImagemapAction as ImagemapAction
from line_braze.line.models.imagemap import ImagemapArea as ImagemapArea
from line_braze.line.models.imagemap import ImagemapBaseSize as ImagemapBaseSize
from line_braze.line.models.imagemap import ImagemapExternalLink as ImagemapExternalLink
from line_braze.line.models.imagemap import ImagemapMessage as ImagemapMessage
from line_braze.line.models.imagemap import ImagemapVideo as ImagemapVideo
from line_braze.line.models.imagemap import MessageImagemapAction as MessageImagemapAction
from line_braze.line.models.imagemap import URIImagemapAction as URIImagemapAction
from line_braze.line.models.messages import DELIVERY_TAG_MAX as DELIVERY_TAG_MAX
from line_braze.line.models.messages import LOCATION_TEXT_MAX as LOCATION_TEXT_MAX
from line_braze.line.models.messages import TRACKING_ID_MAX as TRACKING_ID_MAX
from line_braze.line.models.messages import AllMentionTarget as AllMentionTarget
from line_braze.line.models.messages import AudioMessage as AudioMessage
from line_braze.line.models.messages import CouponMessage as CouponMessage
from line_braze.line.models.messages import Emoji as Emoji
from line_braze.line.models.messages import EmojiSubstitutionObject as EmojiSubstitutionObject
from line_braze.line.models.messages import ImageMessage as ImageMessage
from line_braze.line.models.messages import LocationMessage as LocationMessage
from line_braze.line.models.messages import MentionSubstitutionObject as MentionSubstitutionObject
from line_braze.line.models.messages import MentionTarget as MentionTarget
from line_braze.line.models.messages import Message as Message
from line_braze.line.models.messages import StickerMessage as StickerMessage
from line_braze.line.models.messages import SubstitutionObject as SubstitutionObject
from line_braze.line.models.messages import TextMessage as TextMessage
from line_braze.line.models.messages import TextMessageV2 as TextMessageV2
from line_braze.line.models.messages import UserMentionTarget as UserMentionTarget
from line_braze.line.models.messages import VideoMessage as VideoMessage
from line_braze.line.models.messages import check_messages as check_messages
from line_braze.line.models.messages import message_from_wire as message_from_wire
from line_braze.line.models.messages import messages_from_wire as messages_from_wire
from line_braze.line.models.templates import IMAGE_CAROUSEL_LABEL_MAX as IMAGE_CAROUSEL_LABEL_MAX
from line_braze.line.models.templates import ButtonsTemplate as ButtonsTemplate
from line_braze.line.models.templates import CarouselColumn as CarouselColumn
from line_braze.line.models.templates import CarouselTemplate as CarouselTemplate
from line_braze.line.models.templates import ConfirmTemplate as ConfirmTemplate
from line_braze.line.models.templates import ImageCarouselColumn as ImageCarouselColumn
from line_braze.line.models.templates import ImageCarouselTemplate as ImageCarouselTemplate
from line_braze.line.models.templates import Template as Template
from line_braze.line.models.templates import TemplateMessage as TemplateMessage
from line_braze.line.responses import IssuedToken as IssuedToken
from line_braze.line.responses import MulticastChunk as MulticastChunk
from line_braze.line.responses import MulticastResult as MulticastResult
from line_braze.line.responses import Profile as Profile
from line_braze.line.responses import PushResult as PushResult
from line_braze.line.responses import ReplyResult as ReplyResult
from line_braze.line.responses import SentMessage as SentMessage
from line_braze.line.responses import TokenInfo as TokenInfo
from line_braze.line.webhook import AccountLinkEvent as AccountLinkEvent
from line_braze.line.webhook import FollowEvent as FollowEvent
from line_braze.line.webhook import MessageEvent as MessageEvent
from line_braze.line.webhook import PostbackEvent as PostbackEvent
from line_braze.line.webhook import UnfollowEvent as UnfollowEvent
from line_braze.line.webhook import UnknownEvent as UnknownEvent
from line_braze.line.webhook import WebhookEvent as WebhookEvent
from line_braze.line.webhook import WebhookPayload as WebhookPayload
from line_braze.line.webhook import compute_signature as compute_signature
from line_braze.line.webhook import parse_events as parse_events
from line_braze.line.webhook import parse_webhook as parse_webhook
from line_braze.line.webhook import verify_signature as verify_signature

__all__ = [
    "ALT_TEXT_MAX",
    "ALT_URI_MAX",
    "ANIMATED_IMAGES_MAX",
    "ASPECT_MAX",
    "BUBBLE_JSON_MAX",
    "CAROUSEL_BUBBLES_MAX",
    "CAROUSEL_JSON_MAX",
    "CLIPBOARD_TEXT_MAX",
    "DEFAULT_BASE_URL",
    "DEFAULT_DATA_BASE_URL",
    "DELIVERY_TAG_MAX",
    "EXTERNAL_LINK_LABEL_MAX",
    "FLEX_ALT_TEXT_MAX",
    "IMAGEMAP_ACTIONS_MAX",
    "IMAGEMAP_ALT_TEXT_MAX",
    "IMAGEMAP_LABEL_MAX",
    "IMAGEMAP_TEXT_MAX",
    "IMAGEMAP_URI_MAX",
    "IMAGEMAP_WIDTH",
    "IMAGE_CAROUSEL_LABEL_MAX",
    "IMAGE_URL_MAX",
    "LABEL_MAX",
    "LOCATION_TEXT_MAX",
    "MESSAGES_MAX",
    "RICH_MENU_ALIAS_MAX",
    "TEXT_MAX",
    "TRACKING_ID_MAX",
    "URI_MAX",
    "AccountLink",
    "AccountLinkEvent",
    "Action",
    "AllMentionTarget",
    "AltUri",
    "AudioMessage",
    "ButtonsTemplate",
    "CameraAction",
    "CameraRollAction",
    "CarouselColumn",
    "CarouselTemplate",
    "ClipboardAction",
    "ClipboardImagemapAction",
    "ConfirmTemplate",
    "CouponMessage",
    "DatetimePickerAction",
    "Emoji",
    "EmojiSubstitutionObject",
    "FlexAltContent",
    "FlexBlockStyle",
    "FlexBox",
    "FlexBoxLinearGradient",
    "FlexBubble",
    "FlexBubbleStyles",
    "FlexButton",
    "FlexCarousel",
    "FlexComponent",
    "FlexContainer",
    "FlexFiller",
    "FlexIcon",
    "FlexImage",
    "FlexMessage",
    "FlexSeparator",
    "FlexSpan",
    "FlexText",
    "FlexVideo",
    "FollowEvent",
    "FollowerPage",
    "ImageCarouselColumn",
    "ImageCarouselTemplate",
    "ImageMessage",
    "ImagemapAction",
    "ImagemapArea",
    "ImagemapBaseSize",
    "ImagemapExternalLink",
    "ImagemapMessage",
    "ImagemapVideo",
    "IssuedToken",
    "LineClient",
    "LocationAction",
    "LocationMessage",
    "MentionSubstitutionObject",
    "MentionTarget",
    "Message",
    "MessageAction",
    "MessageEvent",
    "MessageImagemapAction",
    "MulticastChunk",
    "MulticastResult",
    "PostbackAction",
    "PostbackEvent",
    "Profile",
    "PushResult",
    "QuickReply",
    "QuickReplyItem",
    "ReplyResult",
    "RichMenuSwitchAction",
    "Sender",
    "SentMessage",
    "StickerMessage",
    "SubstitutionObject",
    "Template",
    "TemplateMessage",
    "TextMessage",
    "TextMessageV2",
    "TokenInfo",
    "URIImagemapAction",
    "UnfollowEvent",
    "UnknownEvent",
    "UriAction",
    "UserMentionTarget",
    "VideoMessage",
    "WebhookEvent",
    "WebhookPayload",
    "check_messages",
    "compute_signature",
    "message_from_wire",
    "messages_from_wire",
    "parse_events",
    "parse_webhook",
    "verify_signature",
]
