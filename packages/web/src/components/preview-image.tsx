/** A server preview that degrades to a quiet placeholder when the frame has none (yet). */
import { type ImgHTMLAttributes, useState } from 'react';

export function PreviewImage({ src, alt, className, ...rest }: ImgHTMLAttributes<HTMLImageElement> & { src: string }) {
  const [failed, setFailed] = useState(false);
  if (failed)
    return (
      <span
        className={`${className ?? ''} no-preview`}
        role="img"
        aria-label={alt ? `${alt} (no preview)` : 'no preview'}
        title="No preview rendered for this frame"
      >
        ✦
      </span>
    );
  return <img src={src} alt={alt} className={className} onError={() => setFailed(true)} {...rest} />;
}
