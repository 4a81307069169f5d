export function hasLibreOffice(): boolean;
export function libreOffice(file: string, to: string, outDir: string, options?: { infilter?: string }): string;
export function editLikeAnAssessor(from: string, to: string): Promise<string>;
