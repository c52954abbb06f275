//! Who is calling: passwords, tokens, and the `Actor` handed to every resolver.

pub mod login;
pub mod password;
pub mod sign_in;
pub mod throttle;
pub mod token;
