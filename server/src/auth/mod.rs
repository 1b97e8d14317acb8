//! Authentication: argon2id password hashing and HS256 tokens.

mod jwt;
mod password;
mod session;

pub use jwt::{Claims, JwtKeys};
pub use password::{hash_password, verify_against_dummy, verify_password};
pub use session::{RequestAuth, SignedIn, token_from_init_payload};
