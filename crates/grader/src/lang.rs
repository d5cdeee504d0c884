//! The language the grader speaks: Spanish when the locale is Spanish, English
//! otherwise.
//!
//! The locale is read the POSIX way: the first of `LC_ALL`, `LC_MESSAGES` and
//! `LANG` that is set and non-empty decides. The choice is process-global and made
//! once, on first use; [`set_language`] pins it (tests do, so that what they
//! assert on does not depend on the machine's locale).

use std::sync::atomic::{AtomicU8, Ordering};

/// A language the grader's messages exist in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    /// English, the default.
    En,
    /// Spanish (Latin-American), for any `es…` locale.
    Es,
}

impl Lang {
    /// The language of a locale given as `LC_ALL`, `LC_MESSAGES` and `LANG`:
    /// the first that is set and non-empty wins (POSIX precedence); Spanish when
    /// it names Spanish (`es`, `es_CO.UTF-8`, `es-419`, …), English for anything
    /// else (`C`, `POSIX`, `en_US.UTF-8`, `fr_FR`, …) and when none is set.
    pub fn from_locale(
        lc_all: Option<&str>,
        lc_messages: Option<&str>,
        lang: Option<&str>,
    ) -> Lang {
        let locale = [lc_all, lc_messages, lang]
            .into_iter()
            .flatten()
            .find(|value| !value.is_empty());
        match locale {
            Some(locale) if names_spanish(locale) => Lang::Es,
            _ => Lang::En,
        }
    }

    /// The language of this process's locale (`LC_ALL`, `LC_MESSAGES`, `LANG`).
    pub fn from_env() -> Lang {
        let var = |name: &str| std::env::var(name).ok();
        let (lc_all, lc_messages, lang) =
            (var("LC_ALL"), var("LC_MESSAGES"), var("LANG"));
        Lang::from_locale(lc_all.as_deref(), lc_messages.as_deref(), lang.as_deref())
    }

    fn code(self) -> u8 {
        match self {
            Lang::En => EN,
            Lang::Es => ES,
        }
    }
}

/// `es` followed by nothing or by a territory, codeset or modifier separator.
fn names_spanish(locale: &str) -> bool {
    let bytes = locale.as_bytes();
    bytes.len() >= 2
        && bytes[..2].eq_ignore_ascii_case(b"es")
        && bytes.get(2).is_none_or(|b| !b.is_ascii_alphanumeric())
}

const UNSET: u8 = 0;
const EN: u8 = 1;
const ES: u8 = 2;

static CURRENT: AtomicU8 = AtomicU8::new(UNSET);

/// The language the grader prints in: the one [`set_language`] pinned, or else
/// the locale's ([`Lang::from_env`]), read once.
pub fn language() -> Lang {
    let code = match CURRENT.load(Ordering::Relaxed) {
        UNSET => {
            let found = Lang::from_env().code();
            // Another thread may have pinned a language meanwhile; it wins.
            match CURRENT.compare_exchange(
                UNSET,
                found,
                Ordering::Relaxed,
                Ordering::Relaxed,
            ) {
                Ok(_) => found,
                Err(pinned) => pinned,
            }
        }
        code => code,
    };
    if code == ES {
        Lang::Es
    } else {
        Lang::En
    }
}

/// Pins the language for the rest of the process, whatever the locale says.
pub fn set_language(lang: Lang) {
    CURRENT.store(lang.code(), Ordering::Relaxed);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spanish_locales() {
        for locale in ["es", "es_CO.UTF-8", "es_MX", "es-419", "ES_co", "es@euro"] {
            assert_eq!(
                Lang::from_locale(None, None, Some(locale)),
                Lang::Es,
                "{locale}"
            );
        }
    }

    #[test]
    fn other_locales_are_english() {
        for locale in ["C", "POSIX", "en_US.UTF-8", "fr_FR", "et_EE", "est", "e"] {
            assert_eq!(
                Lang::from_locale(None, None, Some(locale)),
                Lang::En,
                "{locale}"
            );
        }
        assert_eq!(Lang::from_locale(None, None, None), Lang::En);
        assert_eq!(Lang::from_locale(Some(""), Some(""), Some("")), Lang::En);
    }

    #[test]
    fn posix_precedence() {
        // LC_ALL beats everything, even when it is C.
        assert_eq!(
            Lang::from_locale(Some("C"), None, Some("es_CO.UTF-8")),
            Lang::En
        );
        assert_eq!(
            Lang::from_locale(Some("es_CO.UTF-8"), Some("en_US"), Some("en_US")),
            Lang::Es
        );
        // An empty LC_ALL is skipped.
        assert_eq!(
            Lang::from_locale(Some(""), None, Some("es_CO.UTF-8")),
            Lang::Es
        );
        assert_eq!(Lang::from_locale(Some(""), Some("C"), Some("es")), Lang::En);
        // LC_MESSAGES beats LANG.
        assert_eq!(Lang::from_locale(None, Some("es"), Some("en")), Lang::Es);
        assert_eq!(Lang::from_locale(None, Some("en_GB"), Some("es")), Lang::En);
    }
}
