"""Settings pushed from the server apply to the running kiosk at the next pull; bad ones are ignored."""

from __future__ import annotations

from kiosk import events
from kiosk.live_config import apply_server_settings, attach, live_keys
from support.ops_world import on_server, ops_kiosk


def _set(db_url: str, key: str, value, kiosk_id: str | None = None) -> None:  # noqa: ANN001
    from server.db import utc_now
    from server.kiosk_config import set_setting

    on_server(db_url, lambda s: set_setting(s, key, value, kiosk_id=kiosk_id, now=utc_now()))


def test_server_settings_apply_at_the_next_pull_without_a_restart(tmp_path, live, seed):
    announced: list[tuple] = []
    stop_listening = events.settings_did_change.subscribe(announced.append)
    try:
        with ops_kiosk(tmp_path, live.url, seed["enroll_code"], "大厅一号") as kiosk:
            detach = attach(kiosk)
            try:
                config, voice = kiosk.config, kiosk.voice
                good = {"session.idle_timeout_s": 90, "voice.rate_wpm": 120, "voice.volume": 0.6,
                        "ui.theme": "high_contrast", "health.bp_grade1_systolic_mmhg": 135,
                        "ops.heartbeat_interval_s": 30, "server.pull_interval_s": 20}
                bad = {"session.countdown_s": 2,  # below its minimum of 5
                       "ui.font_scale": "big",  # not a number
                       "voice.backend": "festival",  # not changeable while running
                       "server.url": "http://elsewhere.example",  # not changeable while running
                       "health.bp_grade2_systolic_mmhg": 130,  # would fall below grade 1
                       "canteen.age_discounts": [{"min_age": 60, "discount_percent": 20}]}  # another feature's
                for key, value in {**good, **bad}.items():
                    _set(live.db_url, key, value)
                kiosk.sync.relay.step()  # one pull: the running kiosk takes them

                assert (config.session.idle_timeout_s, config.voice.rate_wpm, config.voice.volume) == (90.0, 120, 0.6)
                assert (config.ui.theme, config.health.bp_grade1_systolic_mmhg) == ("high_contrast", 135.0)
                assert (config.ops.heartbeat_interval_s, config.server.pull_interval_s) == (30.0, 20.0)
                assert (voice.default_rate_wpm, voice.default_volume) == (120, 0.6)
                assert kiosk.sync.relay.pull_interval_s == 20.0
                assert config.session.countdown_s == 15 and config.ui.font_scale == 1.0
                assert config.voice.backend == "pyttsx3" and config.server.url == live.url
                assert config.health.bp_grade2_systolic_mmhg == 160.0
                assert announced == [tuple(sorted(good))]

                _set(live.db_url, "session.idle_timeout_s", 45, kiosk_id=kiosk.sync.client.credentials[0])
                kiosk.sync.relay.step()
                assert config.session.idle_timeout_s == 45.0 and announced[-1] == ("session.idle_timeout_s",)
                kiosk.sync.relay.step()  # nothing new pulled: nothing applied again
                assert len(announced) == 2
            finally:
                detach()
    finally:
        stop_listening()


def test_settings_pulled_before_a_restart_apply_when_the_kiosk_starts(tmp_path, live, seed):
    with ops_kiosk(tmp_path, live.url, seed["enroll_code"], "大厅二号") as first:
        _set(live.db_url, "session.idle_timeout_s", 75)
        first.sync.relay.step()  # pulled while nothing listened
        assert first.config.session.idle_timeout_s == 60.0
        detach = attach(first)  # what the runtime does at start-up
        detach()
        assert first.config.session.idle_timeout_s == 75.0


def test_only_documented_live_keys_are_accepted_and_values_are_checked_like_the_file(tmp_path):
    from support.kiosk_world import kiosk_runtime

    assert {"session.idle_timeout_s", "voice.rate_wpm", "health.glucose_low_below_mmol_l"} <= live_keys()
    assert not {"server.url", "technician.pin_hash", "kiosk.data_dir", "voice.backend"} & live_keys()
    with kiosk_runtime(tmp_path) as runtime:
        applied = apply_server_settings(runtime, {"voice.enabled": False, "voice.rate_wpm": 301,
                                                  "ui.language": "fr", "technician.pin_hash": "x"})
        assert applied == ["voice.enabled"]
        assert runtime.config.voice.enabled is False and runtime.voice.enabled is False
        assert runtime.config.voice.rate_wpm == 140 and runtime.config.ui.language == "zh_CN"
        assert apply_server_settings(runtime, {"voice.enabled": False}) == []  # unchanged: nothing to apply
