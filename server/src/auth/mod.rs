//! Authentication: argon2id password hashing and HS256 tokens.

mod jwt;
mod password;

pub use jwt::{Claims, JwtKeys};
pub use password::{hash_password, verify_against_dummy, verify_password};
