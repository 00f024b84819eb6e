import pytest
from gradflow.api.settings import Settings


def test_the_environment_configures_the_service(monkeypatch):
    monkeypatch.setenv("GRADFLOW_PORT", "8123")
    monkeypatch.setenv("GRADFLOW_CORS_ORIGINS", "https://a.example, https://b.example")
    monkeypatch.setenv("GRADFLOW_COMPUTE_BUDGET", "1e9")
    monkeypatch.setenv("GRADFLOW_MAX_CONCURRENT_SIMULATIONS", "3")
    settings = Settings()
    assert settings.port == 8123
    assert settings.cors_origins == ["https://a.example", "https://b.example"]
    assert settings.compute_budget == 1e9 and settings.max_concurrent_simulations == 3


def test_cors_is_closed_unless_configured(monkeypatch):
    monkeypatch.delenv("GRADFLOW_CORS_ORIGINS", raising=False)
    assert Settings().cors_origins == []


def test_a_bad_value_names_the_setting(monkeypatch):
    monkeypatch.setenv("GRADFLOW_MAX_CONCURRENT_SIMULATIONS", "0")
    with pytest.raises(ValueError, match="max_concurrent_simulations"):
        Settings()
