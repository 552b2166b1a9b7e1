//! Password hashing (argon2id), the strength check of new passwords, and bearer secrets
//! (random, stored as SHA-256).

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use sha2::{Digest, Sha256};

/// Shortest accepted password.
pub const MIN_PASSWORD_LEN: usize = 12;
/// Length from which one kind of character is enough (a passphrase).
pub const PASSPHRASE_LEN: usize = 20;

/// Base words of the most common passwords (see the file's head).
const COMMON: &str = include_str!("common_passwords.txt");

/// Why a password or secret could not be made.
#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    /// The password is too short.
    #[error("a password needs at least {MIN_PASSWORD_LEN} characters")]
    TooShort,
    /// The password is guessable; the text says why.
    #[error("this password is too easy to guess: {0}")]
    Weak(&'static str),
    /// The operating system's random source failed.
    #[error("no random numbers from the operating system: {0}")]
    Random(String),
    /// Hashing failed.
    #[error("password hashing failed: {0}")]
    Hash(String),
}

/// Undoes look-alike digits and symbols (`p@ssw0rd` → `password`), lower case.
fn unleet(c: char) -> char {
    match c {
        '0' => 'o',
        '1' | '!' => 'i',
        '3' => 'e',
        '4' | '@' => 'a',
        '5' | '$' => 's',
        '7' => 't',
        c => c.to_ascii_lowercase(),
    }
}

/// Whether `core` is one of the most common passwords, or one of them repeated.
fn is_common(core: &str) -> bool {
    let listed = |w: &str| {
        COMMON
            .lines()
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .any(|l| l == w)
    };
    let chars: Vec<char> = core.chars().collect();
    listed(core)
        || (1..=chars.len() / 2).any(|n| {
            chars.len().is_multiple_of(n)
                && chars.chunks(n).all(|c| c == &chars[..n])
                && listed(&chars[..n].iter().collect::<String>())
        })
}

/// Whether `s` is one shorter piece written two or more times (`abcabc`).
fn is_repetition(s: &str) -> bool {
    let chars: Vec<char> = s.chars().collect();
    (1..=chars.len() / 2)
        .any(|n| chars.len().is_multiple_of(n) && chars.chunks(n).all(|c| c == &chars[..n]))
}

/// Checks a new password: at least [`MIN_PASSWORD_LEN`] characters; two kinds of character
/// (lower case, capitals, digits, others) unless it is a passphrase of [`PASSPHRASE_LEN`] or
/// more; not built on the user name or on one of the most common passwords (look-alike
/// digits and symbols, and digits or symbols at either end, do not count); not one piece
/// repeated.
pub fn check_password(password: &str, username: Option<&str>) -> Result<(), PasswordError> {
    let len = password.chars().count();
    if len < MIN_PASSWORD_LEN {
        return Err(PasswordError::TooShort);
    }
    let kinds = [
        password.chars().any(|c| c.is_lowercase()),
        password.chars().any(|c| c.is_uppercase()),
        password.chars().any(|c| c.is_ascii_digit()),
        password.chars().any(|c| !c.is_alphanumeric()),
    ]
    .into_iter()
    .filter(|k| *k)
    .count();
    if kinds < 2 && len < PASSPHRASE_LEN {
        return Err(PasswordError::Weak(
            "it uses one kind of character only; mix in capitals, digits or symbols, or use a \
             passphrase of 20 characters or more",
        ));
    }
    let mut distinct: Vec<char> = password.chars().collect();
    distinct.sort_unstable();
    distinct.dedup();
    if distinct.len() < 5 {
        return Err(PasswordError::Weak(
            "it uses fewer than 5 different characters",
        ));
    }
    let plain: String = password.chars().map(unleet).collect();
    if let Some(user) = username
        .map(str::to_lowercase)
        .filter(|u| u.chars().count() >= 3)
        && (plain.contains(&user) || password.to_lowercase().contains(&user))
    {
        return Err(PasswordError::Weak("it contains the user name"));
    }
    let letters = |c: char| !c.is_alphabetic();
    let lower = password.to_lowercase();
    let cores = [
        plain.trim_matches(letters).to_owned(),
        lower.trim_matches(letters).chars().map(unleet).collect(),
    ];
    if cores.iter().any(|core| is_common(core)) {
        return Err(PasswordError::Weak(
            "it is built on one of the most common passwords",
        ));
    }
    if is_repetition(&lower) {
        return Err(PasswordError::Weak("it repeats one shorter piece"));
    }
    Ok(())
}

/// Hashes a password as an argon2id PHC string with a random salt, once it passes
/// [`check_password`] (without a user name; [`hash_new_password`] checks that too).
pub fn hash_password(password: &str) -> Result<String, PasswordError> {
    check_password(password, None)?;
    argon2_hash(password)
}

/// Hashes a new password of `username` (refusing one that contains the user name).
pub fn hash_new_password(username: &str, password: &str) -> Result<String, PasswordError> {
    check_password(password, Some(username))?;
    argon2_hash(password)
}

fn argon2_hash(password: &str) -> Result<String, PasswordError> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| PasswordError::Hash(e.to_string()))
}

/// Whether `password` matches the PHC string `hash` (false on a malformed hash).
pub fn verify_password(password: &str, hash: &str) -> bool {
    Argon2::default()
        .verify_password(password.as_bytes(), hash)
        .is_ok()
}

/// A new random secret: 32 bytes from the OS, hex (64 characters).
pub fn generate_secret() -> Result<String, PasswordError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| PasswordError::Random(e.to_string()))?;
    Ok(hex(&bytes))
}

/// A readable random password for new accounts (16 characters, no look-alikes), drawn again
/// in the rare case it fails [`check_password`] (e.g. lower case only).
pub fn generate_password() -> Result<String, PasswordError> {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzACDEFGHJKLMNPQRSTUVWXYZ23456789";
    loop {
        let mut bytes = [0u8; 16];
        getrandom::fill(&mut bytes).map_err(|e| PasswordError::Random(e.to_string()))?;
        let password: String = bytes
            .iter()
            .map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()]))
            .collect();
        if check_password(&password, None).is_ok() {
            return Ok(password);
        }
    }
}

/// The stored form of a bearer secret: SHA-256, hex.
pub fn secret_digest(secret: &str) -> String {
    hex(&Sha256::digest(secret.as_bytes()))
}

/// Bytes as lowercase hexadecimal (digests in ids, versions and logs).
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_and_differ_by_salt() {
        let a = hash_password("correct horse battery").expect("hash");
        let b = hash_password("correct horse battery").expect("hash");
        assert!(a.starts_with("$argon2id$"));
        assert_ne!(a, b, "random salt");
        assert!(verify_password("correct horse battery", &a));
        assert!(!verify_password("correct horse batterx", &a));
        assert!(!verify_password("anything", "not a phc string"));
        assert!(matches!(
            hash_password("short"),
            Err(PasswordError::TooShort)
        ));
    }

    #[test]
    fn weak_passwords_are_refused_and_strong_ones_pass() {
        for weak in [
            "P@ssw0rd2024!",
            "password1234",
            "Qwertyuiop12",
            "iloveyou1234",
            "123456789012",
            "aaaaaaaaaaaaaaaa",
            "abcdefghijklmno",
            "PasswordPassword",
            "Pa55wordPa55word1",
            "Ab1!Ab1!Ab1!",
            "xyzzy-Sokha-1",
            "Landmine2025!",
        ] {
            let user = Some("sokha");
            assert!(check_password(weak, user).is_err(), "{weak} accepted");
        }
        for strong in [
            "fixture-password-1",
            "correct horse battery staple",
            "Tr4vel-Kampot-Rain",
            "7394-2817-5502",
        ] {
            assert!(
                check_password(strong, Some("sokha")).is_ok(),
                "{strong} refused"
            );
        }
        for _ in 0..50 {
            let p = generate_password().expect("password");
            assert!(check_password(&p, Some("admin")).is_ok(), "{p}");
        }
        assert!(hash_new_password("sokha", "Sokha-is-strong-1").is_err());
    }

    #[test]
    fn secrets_are_random_and_digests_stable() {
        let s = generate_secret().expect("secret");
        assert_eq!(s.len(), 64);
        assert_ne!(s, generate_secret().expect("secret"));
        assert_eq!(
            secret_digest("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        let p = generate_password().expect("password");
        assert_eq!(p.chars().count(), 16);
    }
}
