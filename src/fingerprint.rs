//! A fingerprint of content, for the caches that let a build skip work it already did.

/// FNV-1a, 64 bits, a word at a time: stable across runs, platforms and compiler versions,
/// unlike `std`'s hasher.
#[derive(Clone)]
pub struct Fingerprint(u64);

impl Default for Fingerprint {
    /// A fingerprint of this build of brief, to which fields are added: its version, its
    /// sources and features (see `build.rs`), and the program file itself (its length and
    /// time), so that a cache is never read by a program other than the one that wrote it
    /// (one installed without `--locked` may hold other versions of its dependencies).
    fn default() -> Fingerprint {
        static PROGRAM: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
        Fingerprint(*PROGRAM.get_or_init(|| {
            let mut fingerprint = Fingerprint(0xcbf2_9ce4_8422_2325);
            fingerprint.add(env!("CARGO_PKG_VERSION"));
            fingerprint.add(env!("BRIEF_SOURCE_ID"));
            let program = std::env::current_exe().and_then(std::fs::metadata);
            if let Ok(meta) = program {
                let (length, modified, _, _) = crate::previous::stamp(&meta);
                fingerprint.add(&format!("{length} {modified}"));
            }
            fingerprint.0
        }))
    }
}

impl Fingerprint {
    /// Adds one field; fields are separated so that ("ab", "c") and ("a", "bc") differ.
    pub fn add(&mut self, part: &str) {
        self.add_bytes(part.as_bytes());
    }

    /// FNV-1a's step over eight bytes at a time (then the last few one by one): pages and
    /// reference files are megabytes, and a byte at a time was a tenth of a warm build.
    pub fn add_bytes(&mut self, part: &[u8]) {
        let mut words = part.chunks_exact(8);
        for word in &mut words {
            let mut eight = [0u8; 8];
            eight.copy_from_slice(word);
            self.0 ^= u64::from_le_bytes(eight);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
            // Folds the high bits down, so that every byte of the word reaches every bit.
            self.0 ^= self.0 >> 29;
        }
        for &byte in words.remainder().iter().chain(&[0xff]) {
            self.0 ^= u64::from(byte);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }

    pub fn finish(&self) -> String {
        format!("{:016x}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_separate_fields_and_are_stable() {
        let of = |parts: &[&str]| {
            let mut f = Fingerprint::default();
            parts.iter().for_each(|p| f.add(p));
            f.finish()
        };
        assert_ne!(of(&["ab", "c"]), of(&["a", "bc"]));
        assert_eq!(of(&["x"]), of(&["x"]));
        assert_eq!(of(&["x"]).len(), 16);
        // A change to any one byte of a long field, in a whole word or in the tail.
        let long = "a page of text, ".repeat(20) + "end";
        for at in [0, 7, 8, 100, long.len() - 1] {
            let mut changed = long.clone().into_bytes();
            changed[at] ^= 1;
            let changed = String::from_utf8(changed).unwrap();
            assert_ne!(of(&[&long]), of(&[&changed]), "byte {at}");
        }
        assert_ne!(of(&["abcdefgh", ""]), of(&["abcdefg", "h"]));
    }
}
