//! Who is asking, and what they may do: sessions (cookie) and API tokens (bearer), roles,
//! organisation scope.

pub mod password;
mod principal;
pub mod throttle;

pub use principal::{MaybePrincipal, Permission, Principal, SESSION_COOKIE};
