//! Random single-use tokens for links we email (verification, reset, invitation). The
//! link carries 32 random bytes from the OS; the database keeps only their SHA-256, so
//! a leaked table hands out no working link, and lookups compare hashes, not secrets.

use sha2::{Digest, Sha256};

use crate::server::error::AppError;

/// A freshly minted token: the text for the link and the hash for the database.
pub struct MintedToken {
    pub token: String,
    pub hash: [u8; 32],
}

/// Mints a token from the OS random source.
pub fn mint() -> Result<MintedToken, AppError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("OS random source failed: {e}"))?;
    let token = hex::encode(bytes);
    let hash = hash(&token).ok_or_else(|| anyhow::anyhow!("minted token does not parse"))?;
    Ok(MintedToken { token, hash })
}

/// The hash of a token presented by a client, or `None` when it cannot be one of ours
/// (wrong length or alphabet): such input never reaches the database.
pub fn hash(token: &str) -> Option<[u8; 32]> {
    let token = token.trim();
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    Some(Sha256::digest(token.to_ascii_lowercase().as_bytes()).into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minted_tokens_are_unique_and_hash_back() {
        let a = mint().unwrap();
        let b = mint().unwrap();
        assert_ne!(a.token, b.token);
        assert_eq!(a.token.len(), 64);
        assert_eq!(hash(&a.token), Some(a.hash));
        assert_eq!(hash(&a.token.to_uppercase()), Some(a.hash));
    }

    #[test]
    fn malformed_tokens_have_no_hash() {
        assert_eq!(hash(""), None);
        assert_eq!(hash("abc"), None);
        assert_eq!(hash(&"z".repeat(64)), None);
        assert_eq!(hash(&"a".repeat(65)), None);
    }
}
