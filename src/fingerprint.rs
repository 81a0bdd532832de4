//! A fingerprint of content, for the caches that let a build skip work it already did.

/// FNV-1a, 64 bits, a word at a time: stable across runs, platforms and compiler versions,
/// unlike `std`'s hasher.
#[derive(Clone)]
pub struct Fingerprint(u64);

impl Default for Fingerprint {
    /// A fingerprint of this build of brief (its version, and its sources: see `build.rs`), to
    /// which fields are added.
    fn default() -> Fingerprint {
        let mut fingerprint = Fingerprint(0xcbf2_9ce4_8422_2325);
        fingerprint.add(env!("CARGO_PKG_VERSION"));
        fingerprint.add(env!("BRIEF_SOURCE_ID"));
        fingerprint
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
