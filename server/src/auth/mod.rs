//! Authentication: argon2id password hashing and HS256 tokens.

mod device;
mod jwt;
mod password;
mod session;

pub use device::{DEVICE_TOKEN_TTL, DeviceKeys};
pub use jwt::{Claims, JwtKeys};
pub use password::{hash_password, verify_against_dummy, verify_password};
pub use session::{RequestAuth, SignedIn, token_from_init_payload};
