export declare const VALIDATOR_FILE: string;
export declare function validatorSource(schema: object): string;
