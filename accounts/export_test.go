package accounts

// UnknownUserHashForTest exposes the stand-in hash to the external tests.
const UnknownUserHashForTest = unknownUserHash
