//! Domain values read straight from their text form in paths and forms, so a value that does
//! not parse refuses the whole request in one place instead of in each handler.

/// Implements `Deserialize` through the type's own `parse(&str) -> Option<Self>`.
macro_rules! deserialize_by_parse {
    ($($name:ty),* $(,)?) => {$(
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                <$name>::parse(&text).ok_or_else(|| {
                    serde::de::Error::custom(concat!("not a valid ", stringify!($name)))
                })
            }
        }
    )*};
}

deserialize_by_parse!(
    crate::AgreementState,
    crate::Trust,
    crate::Ending,
    crate::EntryKind,
    crate::EntryState,
    crate::StatementResponse,
    crate::Moment,
    crate::Verdict,
    crate::Area,
    crate::AreaStatus,
    crate::Response,
    crate::Rhythm,
    crate::Period,
    crate::TransparencyState,
);

#[cfg(test)]
mod tests {
    use crate::{Area, SpaceId};

    #[derive(serde::Deserialize)]
    struct Sample {
        area: Area,
        space: SpaceId,
    }

    fn read(area: &str, space: &str) -> Option<Sample> {
        let json = serde_json::json!({ "area": area, "space": space });
        serde_json::from_value(json).ok()
    }

    #[test]
    fn values_are_read_by_their_own_parse() {
        let id = SpaceId::new();
        let sample = read("questions", &id.to_string()).expect("valid values are read");
        assert_eq!(sample.area, Area::Questions);
        assert_eq!(sample.space, id);
        assert!(read("nothing", &id.to_string()).is_none());
        assert!(read("questions", "not-an-id").is_none());
    }
}
