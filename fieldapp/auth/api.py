"""What other parts may ask of auth: user accounts, their sessions and the sign-in throttle (admin, demo)."""
from fieldapp.auth.queries import (
                                   clear_throttle,
                                   create_user,
                                   current_throttles,
                                   list_users,
                                   set_active,
                                   set_email,
                                   set_password,
                                   update_user,
                                   user_by_id,
                                   user_for_login,
                                   users_by_role,
)
from fieldapp.auth.routes import end_session_cookies, throttle_limits
from fieldapp.auth.sessions import end_all as end_all_sessions
from fieldapp.auth.sessions import open_sessions

__all__ = ["clear_throttle", "create_user", "current_throttles", "end_all_sessions", "end_session_cookies",
           "list_users", "open_sessions", "set_active", "set_email", "set_password", "throttle_limits", "update_user",
           "user_by_id", "user_for_login", "users_by_role"]
