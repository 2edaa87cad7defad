"""Test-only page: the minutes export panel and the meeting downloads (for AppTest)."""

from ui.exports.minutes import decisions_download, meeting_downloads, minutes_panel

minutes_panel()
meeting_downloads(1)
decisions_download(committee_id=1)
