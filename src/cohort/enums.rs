//! The category values of the data schema (docs/schema.md). The snake-case
//! texts are API: files and other tools use them.

use crate::cohort::values::category;

category! {
    /// Study group: restraining-order case (*huisverbodgroep*) or control case (*controlegroep*).
    Group {
        /// A temporary restraining order was imposed (thv).
        Thv = "thv",
        /// No order was imposed (refused or not started).
        Control = "control",
    }
}

category! {
    /// Why a control case had no order (Table B2.1).
    ControlKind {
        /// The order was advised but refused (*geweigerd huisverbod*).
        RefusedOrder = "refused_order",
        /// The procedure was not started.
        NotStarted = "not_started",
    }
}

category! {
    /// Child abuse in the case (*kindermishandeling*, Table 3.5): broad includes witnessing.
    ChildAbuse {
        /// No child abuse.
        None = "none",
        /// Children witnessed the violence (broad definition only).
        Witness = "witness",
        /// Violence directed at the children (narrow definition).
        Direct = "direct",
    }
}

category! {
    /// How a restraining order was violated (*aard overtreding*, Table 3.3).
    ViolationKind {
        /// Text messages or internet contact (*sms-/internetcontact*).
        TextOrInternet = "text_or_internet",
        /// Telephone contact (*telefonisch contact*).
        Telephone = "telephone",
        /// Face-to-face contact (*face-to-facecontact*).
        FaceToFace = "face_to_face",
        /// Presence in the dwelling (*aanwezigheid in woning*).
        InDwelling = "in_dwelling",
        /// A combination of these (*combinatie*).
        Combination = "combination",
    }
}

category! {
    /// System-oriented work after the order (Table 4.20).
    SystemAfter {
        /// Yes.
        Yes = "yes",
        /// Partly.
        Partial = "partial",
        /// No.
        No = "no",
        /// Not applicable (no help after the order).
        NotApplicable = "not_applicable",
    }
}

category! {
    /// A person's role in the case.
    Role {
        /// Evicted person (*uithuisgeplaatste*) or aggressor (*agressor*).
        Perpetrator = "perpetrator",
        /// Person staying behind (*achterblijver*) or aggrieved person (*benadeelde*).
        Victim = "victim",
        /// A minor child in the household.
        Child = "child",
    }
}

category! {
    /// Sex.
    Sex {
        /// Male.
        M = "m",
        /// Female.
        F = "f",
    }
}

category! {
    /// Highest education (Table 2.4, CBS Hoogsteopltab).
    Education {
        /// Low.
        Low = "low",
        /// Middle.
        Middle = "middle",
        /// High.
        High = "high",
    }
}

category! {
    /// Origin (*herkomst*, Table 2.6, CBS GBA).
    Origin {
        /// Dutch.
        Dutch = "dutch",
        /// Antillean.
        Antillean = "antillean",
        /// Surinamese.
        Surinamese = "surinamese",
        /// Moroccan.
        Moroccan = "moroccan",
        /// Turkish.
        Turkish = "turkish",
        /// Other European (western).
        OtherEuropean = "other_european",
        /// Other non-European.
        OtherNonEuropean = "other_non_european",
    }
}

category! {
    /// Marital status (*burgerlijke staat*, Table 2.3).
    MaritalStatus {
        /// Married.
        Married = "married",
        /// Never married.
        Unmarried = "unmarried",
        /// Divorced.
        Divorced = "divorced",
        /// Widowed.
        Widowed = "widowed",
    }
}

category! {
    /// Offender category from HKS (*plegercategorie*, Table 2.11).
    OffenderCategory {
        /// First offender: one antecedent.
        Beginner = "beginner",
        /// Repeat offender: 2–10 antecedents.
        Repeat = "repeat",
        /// Persistent offender: 11 or more.
        Frequent = "frequent",
    }
}

category! {
    /// A three-level extent: help started (*gestart*), help fit (*aansluiting*, Table 4.3).
    Extent {
        /// Not at all.
        None = "none",
        /// Partly.
        Partial = "partial",
        /// Fully.
        Full = "full",
    }
}

category! {
    /// The organisation that registered a new incident.
    Source {
        /// Police.
        Police = "police",
        /// Domestic-violence support centre (*Steunpunt Huiselijk Geweld*).
        Shg = "shg",
        /// Youth care / child-abuse reporting centre (*BJZ/AMK*).
        BjzAmk = "bjz_amk",
    }
}

category! {
    /// The kind of a new incident.
    IncidentKind {
        /// Threat.
        Threat = "threat",
        /// Physical violence.
        Physical = "physical",
        /// Sexual violence.
        Sexual = "sexual",
        /// Psychological violence.
        Psychological = "psychological",
        /// Other.
        Other = "other",
    }
}
